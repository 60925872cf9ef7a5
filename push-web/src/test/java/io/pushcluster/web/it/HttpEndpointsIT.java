package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PROTOCOL.md A.1 to A.3 and B.3 limits over HTTP, against a real Payara Micro on the JPA store: every
 * protocol test runs on Payara's HTTP port (JAX-RS) and on the HTTP listener of our own
 * ({@code push.http.bind}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpEndpointsIT {

    private static final int CAP = 5;
    private static final int LISTENER_PORT = Deployments.freePort();

    /** Where the requests go. */
    enum Port {
        /** Payara's HTTP port: the JAX-RS resources. */
        PAYARA,
        /** The HTTP listener of our own, {@code push.http.bind}. */
        LISTENER
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of(
                "push.store.cap", Integer.toString(CAP),
                "push.store.public-cap", "3",
                "push.limit.group-keys", "4",
                "push.store.purge-interval", "1",
                "push.limit.key-length", "64",
                "push.limit.multi-keys", "10",
                "push.limit.message-bytes", "4096",
                "push.tcp.enabled", "false",
                "push.http.bind", "127.0.0.1:" + LISTENER_PORT,
                "push.http.idle-timeout", "2"));
    }

    @ArquillianResource
    URL base;

    private Http http;

    /** Payara's own HTTP port: where /sub is, so what /1/server/get names on either port. */
    private String payaraAddress;

    @BeforeEach
    void client() {
        http = new Http(base);
        payaraAddress = http.hostPort();
    }

    private void on(Port port) {
        if (port == Port.LISTENER) {
            http = new Http(LISTENER_PORT);
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void timeIdIsAnExactNumberBelowEveryLaterMid(Port port) {
        on(port);
        Http.Reply v1 = http.get("/1/time/get");
        assertEquals(200, v1.status());
        assertTrue(v1.contentType().startsWith("application/json"), v1.contentType());
        long timeId = v1.json().getJsonObject("data").getJsonNumber("timeid").longValueExact();
        assertTrue(timeId > 0 && timeId < (1L << 53), "timeid " + timeId);

        JsonObject legacy = http.get("/time/get").json();
        assertEquals("ok", legacy.getString("msg"));
        assertEquals(0, legacy.getInt("ret"));

        String key = "time-key-" + System.nanoTime();
        http.push(key, "{\"a\":1}", 60);
        long mid = messages(key, 0).getJsonObject(0).getJsonNumber("mid").longValueExact();
        assertTrue(mid > timeId, mid + " > " + timeId);
        assertTrue(http.get("/1/time/get").json().getJsonObject("data").getJsonNumber("timeid").longValueExact()
                >= mid);
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void serverGetNamesThisNode(Port port) {
        on(port);
        JsonObject one = http.get("/1/server/get?k=alice&p=1").json();
        assertEquals(0, one.getInt("ret"));
        assertEquals(payaraAddress, one.getJsonObject("data").getString("server"));
        assertFalse(one.containsKey("msg"));

        JsonObject two = http.get("/2/server/get?k=alice&p=1").json();
        assertEquals(List.of(Json.createValue(payaraAddress)), two.getJsonObject("data").getJsonArray("server"));

        JsonObject legacy = http.get("/server/get?key=alice&proto=1").json();
        assertEquals("ok", legacy.getString("msg"));
        assertEquals(payaraAddress, legacy.getJsonObject("data").getString("server"));

        assertEquals(1001, http.get("/1/server/get?k=alice&p=2").ret(), "TCP listener disabled, no TCP address configured");
        assertEquals(65534, http.get("/1/server/get?k=alice&p=3").ret());
        assertEquals(65534, http.get("/1/server/get?k=alice").ret());
        assertEquals(65534, http.get("/1/server/get?p=1").ret());
        assertEquals(65534, http.get("/1/server/get?p=1&k=" + "x".repeat(65)).ret());
        JsonObject error = http.get("/server/get?proto=1").json();
        assertEquals(65534, error.getInt("ret"));
        assertFalse(error.containsKey("data"));
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void jsonpWrapsRepliesAndRefusesUnsafeCallbackNames(Port port) {
        on(port);
        Http.Reply v1 = http.get("/1/time/get?cb=handle_1.x$");
        assertTrue(v1.contentType().startsWith("application/javascript"), v1.contentType());
        assertTrue(v1.body().startsWith("handle_1.x$({") && v1.body().endsWith("})"), v1.body());

        Http.Reply legacy = http.get("/server/get?key=k&proto=1&callback=cb");
        assertTrue(legacy.body().startsWith("cb({\"data\":{\"server\":"), legacy.body());
        assertTrue(legacy.body().contains("\"msg\":\"ok\""), legacy.body());

        Http.Reply msgs = http.get("/1/msg/get?k=nobody&m=0&cb=f");
        assertEquals("f({\"ret\":0})", msgs.body());

        for (String unsafe : List.of("alert(1)", "a%20b", "%3Cscript%3E", "1abc", "a;b", "x".repeat(200))) {
            Http.Reply refused = http.get("/1/time/get?cb=" + unsafe);
            assertTrue(refused.contentType().startsWith("application/json"), unsafe);
            assertEquals(65534, refused.ret(), unsafe);
            assertFalse(refused.body().contains("script") || refused.body().contains("alert"), refused.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void storedMessagesAreReturnedOldestFirstAfterTheGivenMid(Port port) {
        on(port);
        String key = "store-" + System.nanoTime();
        http.push(key, "{\"n\":1}", 60);
        http.push(key, "[2,\"two\"]", 60);
        http.push(key, "\"three\"", 60);
        JsonArray all = messages(key, 0);
        assertEquals(3, all.size());
        assertEquals(Json.createObjectBuilder().add("n", 1).build(), all.getJsonObject(0).get("msg"));
        assertEquals(Json.createArrayBuilder().add(2).add("two").build(), all.getJsonObject(1).get("msg"));
        assertEquals(Json.createValue("three"), all.getJsonObject(2).get("msg"));
        long first = all.getJsonObject(0).getJsonNumber("mid").longValueExact();
        long second = all.getJsonObject(1).getJsonNumber("mid").longValueExact();
        long third = all.getJsonObject(2).getJsonNumber("mid").longValueExact();
        assertTrue(first < second && second < third);
        assertEquals(0, all.getJsonObject(0).getInt("gid"));

        JsonArray after = messages(key, first);
        assertEquals(2, after.size());
        assertEquals(second, after.getJsonObject(0).getJsonNumber("mid").longValueExact());
        assertEquals(3, messages(key, 0).size(), "reading deletes nothing");
        assertEquals("{\"ret\":0}", http.get("/1/msg/get?k=" + key + "&m=" + third).body());

        JsonObject legacy = http.get("/msg/get?key=" + key + "&mid=0&pmid=" + third).json();
        assertEquals("ok", legacy.getString("msg"));
        JsonArray strings = legacy.getJsonObject("data").getJsonArray("msgs");
        assertEquals(3, strings.size());
        JsonObject firstLegacy = parse(strings.getString(0));
        assertEquals("{\"n\":1}", firstLegacy.getString("msg"));
        assertEquals(first, firstLegacy.getJsonNumber("mid").longValueExact());
        assertEquals(0, legacy.getJsonObject("data").getJsonArray("pmsgs").size());
    }

    /**
     * Public messages: stored once, fetched by any key after the last pmid it saw, in the versioned
     * form on {@code /1/msg/get?pm=} and as gopush-cluster's legacy strings on {@code /msg/get?pmid=}.
     */
    @ParameterizedTest
    @EnumSource(Port.class)
    void publicMessagesAreFetchedByAnyKeyAfterTheLastPmidItSaw(Port port) {
        on(port);
        long before = http.get("/1/time/get").json().getJsonObject("data").getJsonNumber("timeid").longValueExact();
        assertEquals(0, http.post("/1/admin/push/public?expire=60", "{\"p\":1}").ret());
        assertEquals(0, http.post("/1/admin/push/public?expire=0", "{\"live\":true}").ret());
        assertEquals(0, http.post("/1/admin/push/public?expire=60", "[\"p\",2]").ret());
        String key = "reader-" + System.nanoTime();

        JsonObject data = http.get("/1/msg/get?k=" + key + "&m=0&pm=" + before).json().getJsonObject("data");
        assertEquals(0, data.getJsonArray("msgs").size(), "the key has no message of its own");
        JsonArray publics = data.getJsonArray("pmsgs");
        assertEquals(2, publics.size(), "stored ones only, oldest first: " + publics);
        assertEquals(Json.createObjectBuilder().add("p", 1).build(), publics.getJsonObject(0).get("msg"));
        assertEquals(1, publics.getJsonObject(0).getInt("gid"));
        long first = publics.getJsonObject(0).getJsonNumber("mid").longValueExact();
        long second = publics.getJsonObject(1).getJsonNumber("mid").longValueExact();
        assertTrue(before < first && first < second);

        JsonArray after = http.get("/1/msg/get?k=" + key + "&m=0&pm=" + first).json().getJsonObject("data")
                .getJsonArray("pmsgs");
        assertEquals(1, after.size());
        assertEquals(second, after.getJsonObject(0).getJsonNumber("mid").longValueExact());
        assertEquals("{\"ret\":0}", http.get("/1/msg/get?k=" + key + "&m=0&pm=" + second).body());
        assertEquals("{\"ret\":0}", http.get("/1/msg/get?k=" + key + "&m=0").body(), "no pm, no public messages");

        JsonObject legacy = http.get("/msg/get?key=" + key + "&mid=0&pmid=" + before).json().getJsonObject("data");
        JsonArray strings = legacy.getJsonArray("pmsgs");
        assertEquals(2, strings.size());
        JsonObject firstLegacy = parse(strings.getString(0));
        assertEquals("{\"p\":1}", firstLegacy.getString("msg"), "the legacy form carries the message as a string");
        assertEquals(first, firstLegacy.getJsonNumber("mid").longValueExact());
        assertEquals(1, firstLegacy.getInt("gid"));

        assertEquals(65534, http.get("/1/msg/get?k=" + key + "&m=0&pm=x").ret());
        assertEquals(65534, http.get("/msg/get?key=" + key + "&mid=0&pmid=-1").ret());
        assertEquals(65534, http.post("/1/admin/push/public?expire=-1", "{}").ret());
        assertEquals(65535, http.post("/1/admin/push/public?expire=60", "{oops").ret());
        assertEquals(65534, http.post("/1/admin/push/public?expire=60", "\"" + "x".repeat(5000) + "\"").ret());
        assertEquals(2, http.get("/1/msg/get?k=" + key + "&m=0&pm=" + before).json().getJsonObject("data")
                .getJsonArray("pmsgs").size(), "refused pushes stored nothing");
        assertEquals(0, http.post("/1/admin/push/public?expire=60", "{\"p\":3}").ret());
        assertEquals(0, http.post("/1/admin/push/public?expire=60", "{\"p\":4}").ret());
        JsonArray capped = http.get("/1/msg/get?k=" + key + "&m=0&pm=" + before).json().getJsonObject("data")
                .getJsonArray("pmsgs");
        assertEquals(3, capped.size(), "push.store.public-cap keeps the newest three: " + capped);
        assertEquals(second, capped.getJsonObject(0).getJsonNumber("mid").longValueExact());
    }

    /** Presence counts each key's connections now; its limits are those of a multi-key push. */
    @ParameterizedTest
    @EnumSource(Port.class)
    void presenceCountsTheConnectionsOfEachKeyNow(Port port) {
        Http payara = new Http(base);
        on(port);
        String online = "online-" + System.nanoTime();
        String offline = "offline-" + System.nanoTime();
        try (WsClient first = WsClient.connect(payara, "key=" + online + "&heartbeat=30");
                WsClient second = WsClient.connect(payara, "key=" + online + "&heartbeat=30")) {
            assertEquals("+h\r\n", first.next(10_000));
            assertEquals("+h\r\n", second.next(10_000));
            JsonObject reply = http.get("/1/admin/presence?k=" + online + "&k=" + offline + "&k=" + online).json();
            assertEquals(0, reply.getInt("ret"), reply.toString());
            assertEquals(Json.createObjectBuilder().add(online, 2).add(offline, 0).build(), reply.getJsonObject("data"));
        }
        Await.until(Duration.ofSeconds(10), () -> http.get("/1/admin/presence?k=" + online).json()
                .getJsonObject("data").getInt(online) == 0, () -> "closed connections still counted");
        assertEquals(65534, http.get("/1/admin/presence").ret(), "no key");
        assertEquals(65534, http.get("/1/admin/presence?k=").ret(), "an empty key");
        String eleven = IntStream.range(0, 11).mapToObj(i -> "k=p" + i).collect(Collectors.joining("&"));
        assertEquals(65534, http.get("/1/admin/presence?" + eleven).ret(), "more keys than push.limit.multi-keys");
        assertEquals(405, http.post("/1/admin/presence?k=a", "").status());
    }

    /**
     * Groups: membership in the query or a form body, paging, the groups of a key, a group push that
     * reaches exactly the keys the group held when it was pushed, and who of a group is online.
     */
    @ParameterizedTest
    @EnumSource(Port.class)
    void aGroupPushReachesTheKeysTheGroupHeldWhenItWasPushed(Port port) {
        Http payara = new Http(base);
        on(port);
        String run = Long.toString(System.nanoTime(), 36);
        String group = "team-" + run;
        String a = "a-" + run;
        String b = "b-" + run;
        String c = "c-" + run;
        assertEquals(0, http.post("/1/admin/group/add?g=" + group + "&k=" + a + "," + b, "").ret());
        assertEquals(0, http.postForm("/1/admin/group/add", Map.of("g", group, "k", c)).ret());
        JsonObject keys = http.get("/1/admin/group/keys?g=" + group).json().getJsonObject("data");
        assertEquals(List.of(a, b, c), strings(keys.getJsonArray("keys")));
        assertEquals(List.of(b), strings(http.get("/1/admin/group/keys?g=" + group + "&after=" + a + "&limit=1").json()
                .getJsonObject("data").getJsonArray("keys")));
        assertEquals(List.of(group), strings(http.get("/1/admin/group/of?k=" + b).json().getJsonObject("data")
                .getJsonArray("groups")));
        assertEquals(65534, http.post("/1/admin/group/add?g=" + group + "&k=d-" + run + ",e-" + run, "").ret(),
                "a fifth key breaks push.limit.group-keys");
        assertEquals(List.of(a, b, c), strings(http.get("/1/admin/group/keys?g=" + group).json()
                .getJsonObject("data").getJsonArray("keys")), "and nothing changed");
        assertEquals(List.of(), strings(http.get("/1/admin/group/of?k=d-" + run).json().getJsonObject("data")
                .getJsonArray("groups")));

        try (WsClient atA = WsClient.connect(payara, "key=" + a + "&heartbeat=30&ver=1");
                WsClient atC = WsClient.connect(payara, "key=" + c + "&heartbeat=30&ver=1")) {
            assertEquals("+h\r\n", atA.next(10_000));
            assertEquals("+h\r\n", atC.next(10_000));
            assertEquals(List.of(a, c), strings(http.get("/1/admin/group/online?g=" + group).json()
                    .getJsonObject("data").getJsonArray("keys")));
            assertEquals(0, http.postForm("/1/admin/group/del", Map.of("g", group, "k", c)).ret());
            assertEquals(0, http.post("/1/admin/push/group?g=" + group + "&expire=60", "{\"team\":1}").ret());
            JsonObject received = parse(atA.next(10_000));
            assertEquals(1, received.getJsonObject("msg").getInt("team"));
            assertEquals(0, received.getInt("gid"), "a group message comes like a private one");
            assertEquals(null, atC.next(500), "a key removed before the push does not get it");
        }
        assertEquals(1, messages(b, 0).size(), "a key offline fetches it from its own history");
        assertEquals(0, http.post("/1/admin/group/add?g=" + group + "&k=" + c, "").ret());
        assertEquals(0, messages(c, 0).size(), "a key added after the push does not get it");

        assertEquals(65534, http.post("/1/admin/group/add?g=" + group, "").ret(), "no keys");
        assertEquals(65534, http.post("/1/admin/group/add?g=&k=" + a, "").ret(), "no group");
        assertEquals(65534, http.post("/1/admin/group/add?g=" + group + "&k=" + a + ",", "").ret(), "an empty key");
        assertEquals(65534, http.get("/1/admin/group/keys?g=" + group + "&limit=x").ret());
        assertEquals(65534, http.post("/1/admin/push/group?g=" + group + "&expire=-1", "{}").ret());
        assertEquals(65535, http.post("/1/admin/push/group?g=" + group + "&expire=60", "{oops").ret());
        assertEquals(0, http.post("/1/admin/push/group?g=nobody-" + run + "&expire=0", "{}").ret(),
                "a group without keys reaches no one");
        assertEquals(0, http.post("/1/admin/group/del?g=" + group + "&k=" + a + "," + b + "," + c, "").ret());
        assertEquals(List.of(), strings(http.get("/1/admin/group/keys?g=" + group).json().getJsonObject("data")
                .getJsonArray("keys")));
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    /**
     * A back end that pushes on one keep-alive connection is answered without end on either port:
     * Grizzly's default closes such a connection after 250 requests, which the shipped settings lift.
     */
    @ParameterizedTest
    @EnumSource(Port.class)
    void sixHundredPushesOnOneKeepAliveConnectionAreAllAnsweredAndItStaysOpen(Port port) throws Exception {
        on(port);
        PushFlow.answersPushesOnOneConnection(http.port(), 600);
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void eachKeyKeepsOnlyItsNewestMessages(Port port) {
        on(port);
        String key = "cap-" + System.nanoTime();
        for (int i = 1; i <= CAP + 3; i++) {
            http.push(key, "{\"i\":" + i + "}", 60);
        }
        JsonArray kept = messages(key, 0);
        assertEquals(CAP, kept.size());
        assertEquals(4, kept.getJsonObject(0).getJsonObject("msg").getInt("i"));
        assertEquals(CAP + 3, kept.getJsonObject(CAP - 1).getJsonObject("msg").getInt("i"));
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void expiredMessagesAreNeverReturnedAndZeroExpiryIsNotStored(Port port) {
        on(port);
        String key = "expiry-" + System.nanoTime();
        http.push(key, "{\"short\":true}", 1);
        http.push(key, "{\"long\":true}", 600);
        http.push(key, "{\"live-only\":true}", 0);
        assertEquals(2, messages(key, 0).size());
        Await.until(Duration.ofSeconds(10), () -> messages(key, 0).size() == 1,
                () -> "the message pushed with expire=1 is still returned: " + messages(key, 0));
        JsonArray left = messages(key, 0);
        assertEquals(1, left.size());
        assertTrue(left.getJsonObject(0).getJsonObject("msg").getBoolean("long"));
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void deleteRemovesOnlyThatKeysMessages(Port port) {
        on(port);
        String key = "del-" + System.nanoTime();
        String other = key + "-other";
        http.push(key, "{}", 60);
        http.push(other, "{}", 60);
        assertEquals(0, http.postForm("/1/admin/msg/del", Map.of("key", key)).ret());
        assertEquals("{\"ret\":0}", http.get("/1/msg/get?k=" + key + "&m=0").body());
        assertEquals(1, messages(other, 0).size());

        assertEquals(0, http.postForm("/admin/msg/clean", Map.of("key", other)).ret());
        assertEquals("{\"ret\":0}", http.get("/1/msg/get?k=" + other + "&m=0").body());
        assertEquals(65534, http.postForm("/1/admin/msg/del", Map.of()).ret());
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void legacyPushAliasStores(Port port) {
        on(port);
        String key = "legacy-push-" + System.nanoTime();
        assertEquals(0, http.post("/admin/push?key=" + key + "&expire=30", "{\"via\":\"legacy\"}").ret());
        assertEquals("legacy", messages(key, 0).getJsonObject(0).getJsonObject("msg").getString("via"));
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void multiKeyPushIsStoredForEveryKeyAndKeepsItsLimits(Port port) {
        on(port);
        String prefix = "multi-" + System.nanoTime();
        String keys = prefix + "-a," + prefix + "-b," + prefix + "-c";
        JsonObject body = Json.createObjectBuilder().add("m", "{\"hello\":\"all\"}").add("k", keys).build();
        Http.Reply reply = http.post("/1/admin/push/mprivate?expire=60", body.toString());
        assertEquals("{\"ret\":0}", reply.body());
        for (String key : keys.split(",")) {
            JsonArray stored = messages(key, 0);
            assertEquals(1, stored.size(), key);
            assertEquals("all", stored.getJsonObject(0).getJsonObject("msg").getString("hello"));
        }

        String tooMany = String.join(",", java.util.Collections.nCopies(11, prefix)).replace(",", ",x");
        assertEquals(65534, http.post("/1/admin/push/mprivate?expire=60",
                Json.createObjectBuilder().add("m", "{}").add("k", tooMany).build().toString()).ret());
        assertEquals(65535, http.post("/1/admin/push/mprivate?expire=60",
                Json.createObjectBuilder().add("m", "{not json").add("k", prefix + "-d").build().toString()).ret());
        // gopush-cluster answers a body it cannot read as {"m":"...","k":"..."} with a parameter error
        assertEquals(65534, http.post("/1/admin/push/mprivate?expire=60", "not json at all").ret());
        assertEquals(65534, http.post("/1/admin/push/mprivate?expire=60", "[\"m\",\"k\"]").ret());
        assertEquals(65534, http.post("/1/admin/push/mprivate?expire=60", "\"m\"").ret());
        assertEquals(65534, http.post("/1/admin/push/mprivate?expire=60",
                Json.createObjectBuilder().add("m", "{}").build().toString()).ret());
        assertEquals(65534, http.post("/1/admin/push/mprivate?expire=x",
                Json.createObjectBuilder().add("m", "{}").add("k", "a").build().toString()).ret());
        assertEquals("{\"ret\":0}", http.get("/1/msg/get?k=" + prefix + "-d&m=0").body());
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void aPushSentAgainWithItsIdempotencyKeyIsStoredOnce(Port port) {
        on(port);
        String key = "idem-" + port + "-" + System.nanoTime();
        String path = "/1/admin/push/private?key=" + key + "&expire=60";
        for (int i = 0; i < 3; i++) {
            assertEquals("{\"ret\":0}", http.post(path, "{\"n\":1}", "Idempotency-Key", "order-" + key).body());
        }
        assertEquals(1, messages(key, 0).size(), "stored once");
        assertEquals(65534, http.post(path, "{\"n\":2}", "Idempotency-Key", "order-" + key).ret(),
                "the idempotency key was used for another message");
        assertEquals(1, messages(key, 0).size());
        assertEquals(0, http.post("/1/admin/push/private?key=" + key + "&expire=0", "{\"n\":1}", "Idempotency-Key",
                "live-" + key).ret(), "a push without expiry takes an idempotency key too");

        String body = "{\"m\":\"{\\\"n\\\":3}\",\"k\":\"" + key + "-a," + key + "-b\"}";
        for (int i = 0; i < 2; i++) {
            assertEquals("{\"ret\":0}", http.post("/1/admin/push/mprivate?expire=60", body, "Idempotency-Key",
                    "multi-" + key).body());
        }
        assertEquals(1, messages(key + "-a", 0).size());
        assertEquals(1, messages(key + "-b", 0).size());
        assertEquals(65534, http.post(path, "{}", "Idempotency-Key", "k".repeat(257)).ret(), "too long");
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void badPushesAreRefusedAndStoreNothing(Port port) {
        on(port);
        String key = "bad-" + System.nanoTime();
        assertEquals(65535, http.post("/1/admin/push/private?key=" + key + "&expire=60", "{\"unterminated\":").ret());
        assertEquals(65535, http.post("/1/admin/push/private?key=" + key + "&expire=60", "{} trailing").ret());
        assertEquals(65534, http.post("/1/admin/push/private?expire=60", "{}").ret());
        assertEquals(65534, http.post("/1/admin/push/private?key=" + key, "{}").ret());
        assertEquals(65534, http.post("/1/admin/push/private?key=" + key + "&expire=-1", "{}").ret());
        assertEquals(65534, http.post("/1/admin/push/private?key=" + key + "&expire=abc", "{}").ret());
        assertEquals(65534, http.post("/1/admin/push/private?key=" + "k".repeat(65) + "&expire=1", "{}").ret());
        String big = "\"" + "x".repeat(5000) + "\"";
        assertEquals(65534, http.post("/1/admin/push/private?key=" + key + "&expire=60", big).ret());
        assertEquals("{\"ret\":0}", http.get("/1/msg/get?k=" + key + "&m=0").body());

        assertEquals(65534, http.get("/1/msg/get?k=" + key + "&m=abc").ret());
        assertEquals(65534, http.get("/1/msg/get?k=" + key).ret());
        assertEquals(65534, http.get("/1/msg/get?m=0").ret());
        assertEquals(65534, http.get("/msg/get?key=" + key + "&mid=-5").ret());
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void wrongMethodsGet405AndUnknownPaths404InPlainText(Port port) {
        on(port);
        Http.Reply getOnAdmin = http.get("/1/admin/push/private?key=a&expire=0");
        assertEquals(405, getOnAdmin.status());
        assertTrue(getOnAdmin.contentType().startsWith("text/plain"), getOnAdmin.contentType());
        assertEquals(405, http.post("/1/time/get", "").status());
        assertEquals(405, http.method("DELETE", "/1/msg/get?k=a&m=0").status());
        Http.Reply missing = http.get("/1/no/such/path");
        assertEquals(404, missing.status());
        assertFalse(missing.body().contains("Exception"), missing.body());
    }

    @Test
    void statsReportConnectionsMessagesMemoryAndSettings() {
        http.push("stats-" + System.nanoTime(), "{}", 60);
        JsonObject data = http.get("/1/admin/stats").json().getJsonObject("data");
        assertTrue(data.getJsonObject("messages").getJsonNumber("pushed").longValue() >= 1);
        assertTrue(data.getJsonObject("messages").getJsonNumber("stored").longValue() >= 1);
        assertNotNull(data.getJsonObject("connections").getJsonNumber("current"));
        assertNotNull(data.getJsonObject("connections").getJsonNumber("added"));
        assertTrue(data.getJsonObject("memory").getJsonNumber("heapUsed").longValue() > 0);
        assertTrue(data.getJsonNumber("uptimeSeconds").longValue() >= 0);
        assertEquals("5", data.getJsonObject("config").getString("push.store.cap"));
        assertEquals("jpa", data.getJsonObject("config").getString("push.store"));
    }

    @Test
    void healthIncludesTheStore() {
        Http.Reply ready = http.get("/health/ready");
        assertEquals(200, ready.status(), ready.body());
        assertTrue(ready.body().contains("message-store"), ready.body());
        assertEquals("UP", ready.json().getString("status"));
        Http.Reply live = http.get("/health/live");
        assertEquals(200, live.status(), live.body());
        assertTrue(live.body().contains("push-node"), live.body());
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void hundredsOfMalformedRequestsLeaveTheNodeServing(Port port) {
        on(port);
        Random random = new Random(42);
        List<String> paths = List.of("/1/server/get", "/2/server/get", "/server/get", "/1/msg/get", "/msg/get",
                "/1/time/get", "/1/admin/push/private", "/1/admin/push/mprivate", "/1/admin/msg/del",
                "/1/admin/token/add", "/1/admin/token/del", "/admin/push", "/1/admin/stats", "/nothing");
        List<String> values = List.of("", "-1", "abc", "%00", "%ZZ", "%", "99999999999999999999999",
                "x".repeat(3000), "%F0%9F%98%80", "%C3%28", "1e9", "null", "0x10", "%22%7B", "a%0D%0Ab");
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "BREW");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String path = paths.get(random.nextInt(paths.size()));
            String query = "?k=" + pick(random, values) + "&key=" + pick(random, values) + "&m=" + pick(random, values)
                    + "&p=" + pick(random, values) + "&expire=" + pick(random, values) + "&cb=" + pick(random, values);
            byte[] junk = new byte[random.nextInt(2000)];
            random.nextBytes(junk);
            String method = pick(random, methods);
            String head = method + " " + path + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (random.nextBoolean() ? "Content-Type: application/x-www-form-urlencoded\r\n" : "")
                    + "Content-Length: " + junk.length + "\r\n\r\n";
            byte[] request = new byte[head.length() + junk.length];
            System.arraycopy(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, request, 0, head.length());
            System.arraycopy(junk, 0, request, head.length(), junk.length);
            RawHttp.Reply reply = RawHttp.send(http.port(), request);
            boolean clean = reply.status() >= 200 && reply.status() < 500;
            if (!clean || reply.text().contains("Exception") || reply.text().contains("\tat ")) {
                failures.add(method + " " + path + query.substring(0, Math.min(query.length(), 80)) + " -> "
                        + reply.text().substring(0, Math.min(reply.text().length(), 300)));
            }
        }
        for (String garbage : List.of("\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                "\u0000\u0001\u0002\r\n\r\n", "GET /1/time/get HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
                "POST /1/admin/push/private?key=a&expire=1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n")) {
            RawHttp.Reply reply = RawHttp.send(http.port(), garbage);
            if (reply.status() == 500 || reply.text().contains("Exception")) {
                failures.add(garbage.strip() + " -> " + reply.text());
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(0, http.get("/1/time/get").ret());
        String key = "after-malformed-" + System.nanoTime();
        http.push(key, "{\"still\":\"serving\"}", 60);
        assertEquals(1, messages(key, 0).size());
    }

    @Test
    void listenerAnswersPipelinedRequestsInOrderWhetherTheyWaitForTheStoreOrNot() {
        String key = "pipelined-" + System.nanoTime();
        String push = "POST /1/admin/push/private?key=" + key + "&expire=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 9\r\n\r\n{\"p\":\"1\"}";
        String live = "POST /1/admin/push/private?key=" + key + "&expire=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 2\r\n\r\n{}";
        String read = "GET /1/msg/get?k=" + key + "&m=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        RawHttp.Reply replies = RawHttp.send(LISTENER_PORT, "GET /1/time/get HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                + push + live + push.replace("\"1\"", "\"2\"") + read);
        List<String> bodies = new ArrayList<>();
        for (String part : replies.text().split("HTTP/1.1 ")) {
            if (!part.isEmpty()) {
                assertTrue(part.startsWith("200 OK\r\n"), part);
                bodies.add(part.substring(part.indexOf("\r\n\r\n") + 4));
            }
        }
        assertEquals(5, bodies.size(), replies.text());
        assertTrue(bodies.get(0).contains("timeid"), bodies.get(0));
        assertEquals(List.of("{\"ret\":0}", "{\"ret\":0}", "{\"ret\":0}"), bodies.subList(1, 4));
        JsonArray stored = parse(bodies.get(4)).getJsonObject("data").getJsonArray("msgs");
        assertEquals(2, stored.size(), "both stored pushes were answered, in order, before the read");
        assertEquals("2", stored.getJsonObject(1).getJsonObject("msg").getString("p"));
    }

    @Test
    void listenerSendsContinueAndTakesARequestThatArrivesInPieces() throws Exception {
        String key = "pieces-" + System.nanoTime();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", LISTENER_PORT)) {
            socket.setSoTimeout(5_000);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.InputStream in = socket.getInputStream();
            byte[] head = ("POST /1/admin/push/private?key=" + key + "&expire=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 11\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (byte b : head) {
                out.write(b);
                out.flush();
            }
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", readText(in, 25));
            out.write("{\"a\":".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(100);
            out.write("\"yes\"}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = readText(in, 200);
            assertTrue(reply.startsWith("HTTP/1.1 200 OK\r\n") && reply.endsWith("{\"ret\":0}"), reply);
        }
        assertEquals("yes", messages(key, 0).getJsonObject(0).getJsonObject("msg").getString("a"));
    }

    @Test
    void listenerRefusesWhatItCannotReadSafelyAndEndsTheConnection() {
        RawHttp.Reply longHead = RawHttp.send(LISTENER_PORT, "GET /1/time/get HTTP/1.1\r\nX-Long: "
                + "x".repeat(9000) + "\r\n\r\n");
        assertEquals(431, longHead.status(), longHead.text());
        RawHttp.Reply huge = RawHttp.send(LISTENER_PORT, "POST /1/admin/push/private?key=a&expire=60 HTTP/1.1\r\n"
                + "Host: a\r\nContent-Length: 999999999\r\n\r\n{}");
        assertEquals(413, huge.status(), huge.text());
        RawHttp.Reply chunked = RawHttp.send(LISTENER_PORT, "POST /1/admin/push/private?key=a&expire=60 HTTP/1.1\r\n"
                + "Host: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        assertEquals(411, chunked.status(), chunked.text());
        RawHttp.Reply version = RawHttp.send(LISTENER_PORT, "GET /1/time/get HTTP/2.0\r\n\r\n");
        assertEquals(505, version.status(), version.text());
        for (RawHttp.Reply refused : List.of(longHead, huge, chunked, version)) {
            assertTrue(refused.text().contains("Connection: close"), refused.text());
            assertFalse(refused.text().contains("Exception"), refused.text());
        }
        RawHttp.Reply http10 = RawHttp.send(LISTENER_PORT, "GET /1/time/get HTTP/1.0\r\n\r\n");
        assertEquals(200, http10.status(), http10.text());
        assertTrue(http10.text().contains("Connection: close"), "HTTP/1.0 without keep-alive ends after its reply");
    }

    @Test
    void listenerClosesKeepAliveConnectionsIdleLongerThanItsTimeoutOnly() throws Exception {
        byte[] request = "GET /1/time/get HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (java.net.Socket busy = new java.net.Socket("127.0.0.1", LISTENER_PORT);
                java.net.Socket idle = new java.net.Socket("127.0.0.1", LISTENER_PORT)) {
            busy.setSoTimeout(5_000);
            idle.setSoTimeout(8_000);
            idle.getOutputStream().write(request);
            assertTrue(readText(idle.getInputStream(), 20).contains("timeid"));
            for (int i = 0; i < 5; i++) {
                busy.getOutputStream().write(request);
                assertTrue(readText(busy.getInputStream(), 20).contains("timeid"), "request " + i + " on a busy connection");
                Thread.sleep(1_000);
            }
            assertEquals(-1, idle.getInputStream().read(), "the connection idle for 5 s was closed");
        }
    }

    private static String readText(java.io.InputStream in, int atLeast) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        byte[] chunk = new byte[1024];
        while (text.length() < atLeast) {
            int read = in.read(chunk);
            if (read < 0) {
                break;
            }
            text.append(new String(chunk, 0, read, StandardCharsets.ISO_8859_1));
            if (text.indexOf("\r\n\r\n") >= 0 && text.indexOf("Content-Length") < 0) {
                break;
            }
            int length = text.indexOf("Content-Length: ");
            int end = text.indexOf("\r\n\r\n");
            if (length >= 0 && end >= 0) {
                int size = Integer.parseInt(text.substring(length + 16, text.indexOf("\r\n", length)));
                if (text.length() >= end + 4 + size) {
                    break;
                }
            }
        }
        return text.toString();
    }

    private static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private JsonArray messages(String key, long after) {
        JsonObject reply = http.get("/1/msg/get?k=" + Http.encode(key) + "&m=" + after).json();
        assertEquals(0, reply.getInt("ret"), reply.toString());
        if (!reply.containsKey("data")) {
            return Json.createArrayBuilder().build();
        }
        return reply.getJsonObject("data").getJsonArray("msgs");
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
