package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.store.redis.EmbeddedRedis;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three Payara Micro processes in one Hazelcast cluster on loopback with a shared Redis store (issue 4):
 * every member agrees on the ring; pushes through any member reach subscribers on the owner; a
 * joining member takes keys over and the old owner disconnects their clients; a member killed with
 * SIGKILL during a stream of stored pushes loses none of them, and each key's mids keep increasing;
 * tokens outlive the member they were registered through.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final long WAIT = 10_000;
    private static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final String BANNED = "banned-" + RUN;
    private static final List<String> KEYS = IntStream.range(0, 120).mapToObj(i -> "c" + RUN + "-" + i).toList();

    @RegisterExtension
    static final MicroCluster CLUSTER = MicroCluster.of(3)
            .with("push.store", "redis")
            .with("push.redis.servers", "it=" + REDIS.uri())
            .with("push.heartbeat.min", "1")
            .with("push.store.cap", "1000");

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static Set<String> memberNames(MicroMember member) {
        JsonObject data = member.http().get("/1/admin/cluster").json().getJsonObject("data");
        Set<String> names = new TreeSet<>();
        data.getJsonArray("members").forEach(card -> names.add(card.asJsonObject().getString("name")));
        return names;
    }

    private static String keyOwnedBy(String owner, Map<String, String> owners) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(owner)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError(owner + " owns none of " + owners.size() + " keys"));
    }

    /** Waits until every running member lists exactly these members on its ring. */
    private static void awaitRing(Set<String> expected) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            boolean agreed = CLUSTER.members().stream().allMatch(member -> memberNames(member).equals(expected));
            if (agreed) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("members never agreed on " + expected + "\n" + CLUSTER.logTails());
            }
            pause(200);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static WsClient subscribe(MicroMember member, String key) {
        // a heartbeat longer than any test, which never sends one
        WsClient ws = WsClient.connect(member.http(), "key=" + Http.encode(key) + "&heartbeat=600&ver=1");
        assertEquals("+h\r\n", ws.next(WAIT), key + " on " + member.name());
        return ws;
    }

    /** Subscribes, on each member, a key of {@code owners} that member owns, into {@code subscribers}. */
    private static void subscribeOnEachMember(Map<String, String> owners, Map<String, WsClient> subscribers) {
        for (String name : List.of("m1", "m2", "m3")) {
            String key = keyOwnedBy(name, owners);
            subscribers.put(key, subscribe(CLUSTER.member(name), key));
        }
    }

    private static void push(MicroMember member, String key, String message, long expire) {
        Http.Reply reply = member.http().post("/1/admin/push/private?key=" + Http.encode(key) + "&expire=" + expire, message);
        assertEquals(0, json(reply.body()).getInt("ret"), member.name() + ": " + reply.body());
    }

    @Test
    @Order(1)
    void everyMemberBuildsTheSameRingAndNamesTheOwnersAddress() {
        awaitRing(Set.of("m1", "m2", "m3"));
        Map<String, String> seenByM1 = CLUSTER.member("m1").owners(KEYS);
        for (MicroMember member : CLUSTER.members()) {
            assertEquals(seenByM1, member.owners(KEYS), member.name() + " agrees with m1");
        }
        for (String name : List.of("m1", "m2", "m3")) {
            assertTrue(seenByM1.containsValue(name), name + " owns some of " + KEYS.size() + " keys");
        }
        for (String key : KEYS.subList(0, 12)) {
            String ownerAddress = CLUSTER.member(seenByM1.get(key)).hostPort();
            for (MicroMember member : CLUSTER.members()) {
                JsonObject reply = member.http().get("/1/server/get?k=" + Http.encode(key) + "&p=1").json();
                assertEquals(ownerAddress, reply.getJsonObject("data").getString("server"), key + " asked at " + member.name());
                JsonObject tcp = member.http().get("/1/server/get?k=" + Http.encode(key) + "&p=2").json();
                assertEquals("127.0.0.1:" + CLUSTER.member(seenByM1.get(key)).tcpPort(),
                        tcp.getJsonObject("data").getString("server"), key + " over TCP asked at " + member.name());
            }
        }
        for (MicroMember member : CLUSTER.members()) {
            JsonObject ready = json(member.http().get("/health/ready").body());
            assertEquals("UP", ready.getString("status"), member.name() + ": " + ready);
        }
        // for the last test: tokens registered through m2, which is killed before a member checks them
        for (String key : KEYS) {
            assertEquals(0, CLUSTER.member("m2").http().post("/1/admin/token/add?key=" + Http.encode(key)
                    + "&token=t-" + Http.encode(key), "").ret());
        }
        // and a ban made through m2, which a member that joins after m2 was killed must know of
        assertEquals(0, CLUSTER.member("m2").http().post("/1/admin/ban?key=" + BANNED + "&seconds=3600", "").ret());
    }

    @Test
    @Order(2)
    void aSubscribeOnAMemberThatDoesNotOwnTheKeyIsRefusedWithNotOwner() {
        Map<String, String> owners = CLUSTER.member("m1").owners(KEYS);
        String key = keyOwnedBy("m2", owners);
        try (WsClient ws = WsClient.connect(CLUSTER.member("m1").http(), "key=" + Http.encode(key) + "&heartbeat=30")) {
            assertEquals("-n\r\n", ws.next(WAIT));
            assertTrue(ws.closedWithin(WAIT));
        }
        try (TcpClient tcp = new TcpClient(CLUSTER.member("m3").tcpPort())) {
            tcp.subscribe("sub", key, "30");
            assertEquals("-n\r\n", tcp.nextReply(WAIT));
            assertTrue(tcp.closedByServerWithin(WAIT));
        }
        try (WsClient ws = subscribe(CLUSTER.member("m2"), key)) {
            assertTrue(ws.isOpen());
        }
    }

    @Test
    @Order(3)
    void pushesThroughAnyMemberReachTheSubscribersOnTheOwnerOnly() {
        Map<String, String> owners = CLUSTER.member("m1").owners(KEYS);
        Map<String, WsClient> subscribers = new LinkedHashMap<>();
        try {
            subscribeOnEachMember(owners, subscribers);
            long forwardedBefore = forwarded(CLUSTER.member("m1"));
            for (MicroMember entry : CLUSTER.members()) {
                for (Map.Entry<String, WsClient> subscriber : subscribers.entrySet()) {
                    for (long expire : new long[] {0, 60}) {
                        String message = "{\"via\":\"" + entry.name() + "\",\"expire\":" + expire + "}";
                        push(entry, subscriber.getKey(), message, expire);
                        String frame = subscriber.getValue().next(WAIT);
                        assertTrue(frame != null, message + " to " + subscriber.getKey() + "\n" + CLUSTER.logTails());
                        JsonObject msg = json(frame).getJsonObject("msg");
                        assertEquals(entry.name(), msg.getString("via"), message);
                        assertEquals(expire, msg.getInt("expire"), message);
                    }
                }
            }
            assertEquals(forwardedBefore + 4, forwarded(CLUSTER.member("m1")),
                    "m1 forwarded each push to another owner's key once, and never its own");

            String multi = "{\"m\":\"{\\\"multi\\\":1}\",\"k\":\"" + String.join(",", subscribers.keySet()) + "\"}";
            JsonObject reply = CLUSTER.member("m2").http().post("/1/admin/push/mprivate?expire=60", multi).json();
            assertEquals(0, reply.getInt("ret"), reply.toString());
            for (Map.Entry<String, WsClient> subscriber : subscribers.entrySet()) {
                JsonObject frame = json(subscriber.getValue().next(WAIT));
                assertEquals(1, frame.getJsonObject("msg").getInt("multi"), subscriber.getKey());
            }
            for (WsClient ws : subscribers.values()) {
                assertEquals(null, ws.next(300), "every message arrived exactly once");
            }
        } finally {
            subscribers.values().forEach(WsClient::close);
        }
    }

    /**
     * A public message pushed through any member reaches a subscriber on every member once, with gid 1;
     * stored ones are fetched from any member after the last pmid seen. Presence, asked at any member,
     * counts each key's connections on its owner.
     */
    @Test
    @Order(3)
    void publicMessagesReachEveryMemberAndPresenceCountsOnTheOwners() {
        Map<String, String> owners = CLUSTER.member("m1").owners(KEYS);
        Map<String, WsClient> subscribers = new LinkedHashMap<>();
        try {
            subscribeOnEachMember(owners, subscribers);
            String twice = subscribers.keySet().iterator().next();
            WsClient second = subscribe(CLUSTER.member(owners.get(twice)), twice);
            subscribers.put(twice + "#2", second);
            long before = CLUSTER.member("m1").http().get("/1/time/get").json().getJsonObject("data")
                    .getJsonNumber("timeid").longValueExact();
            List<Long> pmids = new ArrayList<>();
            for (MicroMember entry : CLUSTER.members()) {
                String message = "{\"public\":\"" + entry.name() + "\"}";
                Http.Reply reply = entry.http().post("/1/admin/push/public?expire=60", message);
                assertEquals(0, json(reply.body()).getInt("ret"), entry.name() + ": " + reply.body());
                long pmid = -1;
                for (Map.Entry<String, WsClient> subscriber : subscribers.entrySet()) {
                    String frame = subscriber.getValue().next(WAIT);
                    assertTrue(frame != null, message + " at " + subscriber.getKey() + "\n" + CLUSTER.logTails());
                    JsonObject received = json(frame);
                    assertEquals(entry.name(), received.getJsonObject("msg").getString("public"));
                    assertEquals(1, received.getInt("gid"));
                    long mid = received.getJsonNumber("mid").longValueExact();
                    assertTrue(pmid == -1 || pmid == mid, "one pmid for every subscriber");
                    pmid = mid;
                }
                pmids.add(pmid);
            }
            assertTrue(pmids.get(0) > before && pmids.get(0) < pmids.get(1) && pmids.get(1) < pmids.get(2),
                    "pmids increase whichever member accepted the push: " + pmids);
            for (WsClient ws : subscribers.values()) {
                assertEquals(null, ws.next(300), "every public message arrived exactly once");
            }
            for (MicroMember member : CLUSTER.members()) {
                JsonArray stored = member.http().get("/1/msg/get?k=anyone&m=0&pm=" + before).json()
                        .getJsonObject("data").getJsonArray("pmsgs");
                assertEquals(pmids, stored.stream().map(v -> v.asJsonObject().getJsonNumber("mid").longValueExact())
                        .toList(), "stored once, fetched at " + member.name());
            }

            List<String> keys = subscribers.keySet().stream().filter(key -> !key.endsWith("#2")).toList();
            String query = keys.stream().map(key -> "k=" + Http.encode(key)).collect(Collectors.joining("&"))
                    + "&k=nobody-" + RUN;
            for (MicroMember member : CLUSTER.members()) {
                JsonObject counts = member.http().get("/1/admin/presence?" + query).json().getJsonObject("data");
                assertEquals(2, counts.getInt(twice), "two connections of " + twice + ", asked at " + member.name());
                keys.stream().filter(key -> !key.equals(twice)).forEach(key -> assertEquals(1, counts.getInt(key)));
                assertEquals(0, counts.getInt("nobody-" + RUN));
            }
            JsonArray members = CLUSTER.member("m3").http().get("/1/admin/cluster").json().getJsonObject("data")
                    .getJsonArray("members");
            assertEquals(3, members.size());
            for (JsonValue member : members) {
                assertTrue(member.asJsonObject().getInt("connections") >= 1
                        && member.asJsonObject().getInt("keys") >= 1, "each member holds a subscriber: " + member);
            }
        } finally {
            subscribers.values().forEach(WsClient::close);
        }
    }

    /**
     * A group of keys owned by all three members, managed through one member and pushed through each:
     * every subscriber of the group receives each push once, in its key's mid order, and an offline
     * key fetches them; the group and its online keys read the same at every member.
     */
    @Test
    @Order(3)
    void groupPushesThroughAnyMemberReachEveryKeyOfTheGroupOnItsOwner() {
        // keys of its own, so that no other test's history gets the group's messages
        Map<String, String> owners = CLUSTER.member("m1")
                .owners(IntStream.range(0, 60).mapToObj(i -> "g" + RUN + "-" + i).toList());
        String group = "g" + RUN;
        Map<String, WsClient> subscribers = new LinkedHashMap<>();
        try {
            subscribeOnEachMember(owners, subscribers);
            String offline = "offline-" + RUN;
            String members = String.join(",", subscribers.keySet()) + "," + offline;
            assertEquals(0, CLUSTER.member("m2").http().post("/1/admin/group/add?g=" + group + "&k="
                    + Http.encode(members), "").ret());
            for (MicroMember member : CLUSTER.members()) {
                JsonArray online = member.http().get("/1/admin/group/online?g=" + group).json().getJsonObject("data")
                        .getJsonArray("keys");
                assertEquals(subscribers.keySet().stream().sorted().toList(),
                        online.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList(),
                        "online keys asked at " + member.name());
            }
            for (MicroMember entry : CLUSTER.members()) {
                Http.Reply reply = entry.http().post("/1/admin/push/group?g=" + group + "&expire=60",
                        "{\"group\":\"" + entry.name() + "\"}");
                assertEquals(0, json(reply.body()).getInt("ret"), entry.name() + ": " + reply.body());
                for (Map.Entry<String, WsClient> subscriber : subscribers.entrySet()) {
                    String frame = subscriber.getValue().next(WAIT);
                    assertTrue(frame != null, "group push via " + entry.name() + " to " + subscriber.getKey());
                    assertEquals(entry.name(), json(frame).getJsonObject("msg").getString("group"));
                }
            }
            for (WsClient ws : subscribers.values()) {
                assertEquals(null, ws.next(300), "every group message arrived exactly once");
            }
            JsonArray missed = CLUSTER.member("m3").http().get("/1/msg/get?k=" + offline + "&m=0").json()
                    .getJsonObject("data").getJsonArray("msgs");
            assertEquals(3, missed.size(), "the offline key fetches every group push from its history");
        } finally {
            subscribers.values().forEach(WsClient::close);
        }
    }

    /**
     * Pushes to one key through all three members at once, with and without expiry: the key's owner
     * orders them, so its subscriber gets exactly the pushes answered with ret 0, each once, in
     * increasing mid order, and the store holds exactly the stored ones.
     */
    @Test
    @Order(4)
    void concurrentPushesThroughEveryMemberToOneKeyArriveInMidOrderExactlyAsAnswered() throws Exception {
        Map<String, String> owners = CLUSTER.member("m1").owners(KEYS);
        // not the key the test before pushed to
        String key = KEYS.stream().filter(k -> owners.get(k).equals("m3")).skip(1).findFirst().orElseThrow();
        Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> stored = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (WsClient subscriber = subscribe(CLUSTER.member("m3"), key)) {
            java.util.concurrent.ExecutorService pushers = java.util.concurrent.Executors.newFixedThreadPool(6);
            try {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    MicroMember via = CLUSTER.members().get(t % 3);
                    int thread = t;
                    done.add(pushers.submit(() -> {
                        for (int i = 0; i < 60; i++) {
                            long expire = (i + thread) % 2 == 0 ? 0 : 600;
                            String id = thread + "." + i;
                            int ret = via.http().post("/1/admin/push/private?key=" + Http.encode(key) + "&expire="
                                    + expire, "{\"id\":\"" + id + "\"}").ret();
                            if (ret == 0) {
                                answered.add(id);
                                if (expire > 0) {
                                    stored.add(id);
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> future : done) {
                    future.get(5, java.util.concurrent.TimeUnit.MINUTES);
                }
            } finally {
                pushers.shutdownNow();
            }
            List<String> received = new ArrayList<>();
            long lastMid = 0;
            while (received.size() < answered.size()) {
                String frame = subscriber.next(WAIT);
                assertTrue(frame != null, "only " + received.size() + " of " + answered.size() + " arrived");
                JsonObject message = json(frame);
                long mid = message.getJsonNumber("mid").longValueExact();
                assertTrue(mid > lastMid, "mid " + mid + " after " + lastMid);
                lastMid = mid;
                received.add(message.getJsonObject("msg").getString("id"));
            }
            assertEquals(null, subscriber.next(300), "nothing more than what was answered");
            assertEquals(answered, new TreeSet<>(received));
            assertEquals(answered.size(), received.size(), "each once");
        }
        Set<String> storedIds = new TreeSet<>();
        JsonObject reply = CLUSTER.member("m1").http().get("/1/msg/get?k=" + Http.encode(key) + "&m=0").json();
        for (JsonValue message : reply.getJsonObject("data").getJsonArray("msgs")) {
            storedIds.add(message.asJsonObject().getJsonObject("msg").getString("id"));
        }
        assertEquals(new TreeSet<>(stored), storedIds, "the store holds exactly the stored pushes answered 0");

        // a push retried with its Idempotency-Key through other members is stored once
        String paid = KEYS.stream().filter(k -> owners.get(k).equals("m3")).skip(2).findFirst().orElseThrow();
        for (String via : List.of("m1", "m2", "m3", "m1")) {
            Http.Reply retry = CLUSTER.member(via).http().post("/1/admin/push/private?key=" + Http.encode(paid)
                    + "&expire=600", "{\"paid\":7}", "Idempotency-Key", "order-7-" + RUN);
            assertEquals(0, retry.ret(), via + ": " + retry.body());
        }
        JsonObject once = CLUSTER.member("m2").http().get("/1/msg/get?k=" + Http.encode(paid) + "&m=0").json();
        assertEquals(1, once.getJsonObject("data").getJsonArray("msgs").size(), "stored once: " + once);
    }

    private static long forwarded(MicroMember member) {
        return member.http().get("/1/admin/stats").json().getJsonObject("data").getJsonObject("messages")
                .getJsonNumber("forwarded").longValueExact();
    }

    @Test
    @Order(5)
    void aJoiningMemberTakesSomeKeysAndTheOldOwnersDisconnectTheirClients() {
        Map<String, String> before = CLUSTER.member("m1").owners(KEYS);
        Map<String, WsClient> subscribers = new LinkedHashMap<>();
        try {
            for (String key : KEYS.subList(0, 40)) {
                subscribers.put(key, subscribe(CLUSTER.member(before.get(key)), key));
            }
            MicroMember joined = CLUSTER.join(Map.of());
            awaitRing(Set.of("m1", "m2", "m3", joined.name()));
            Map<String, String> after = CLUSTER.member("m1").owners(KEYS);
            List<String> moved = new ArrayList<>();
            for (String key : subscribers.keySet()) {
                if (!after.get(key).equals(before.get(key))) {
                    assertEquals(joined.name(), after.get(key), key + " moved only to the new member");
                    moved.add(key);
                }
            }
            assertFalse(moved.isEmpty(), "the new member took some of 40 keys");
            assertTrue(moved.size() < 25, "the new member took about a quarter of the keys, not " + moved.size());
            for (Map.Entry<String, WsClient> subscriber : subscribers.entrySet()) {
                if (moved.contains(subscriber.getKey())) {
                    assertTrue(subscriber.getValue().closedWithin(WAIT), subscriber.getKey() + " was disconnected");
                } else {
                    assertTrue(subscriber.getValue().isOpen(), subscriber.getKey() + " kept its connection");
                }
            }
            String movedKey = moved.get(0);
            assertEquals(joined.hostPort(), CLUSTER.member("m2").http()
                    .get("/1/server/get?k=" + Http.encode(movedKey) + "&p=1").json().getJsonObject("data").getString("server"));
            try (WsClient again = subscribe(joined, movedKey)) {
                push(CLUSTER.member("m1"), movedKey, "{\"after\":\"join\"}", 0);
                assertEquals("join", json(again.next(WAIT)).getJsonObject("msg").getString("after"));
            }
            String stayed = subscribers.keySet().stream().filter(key -> !moved.contains(key)).findFirst().orElseThrow();
            push(joined, stayed, "{\"stayed\":true}", 0);
            assertTrue(json(subscribers.get(stayed).next(WAIT)).getJsonObject("msg").getBoolean("stayed"));
        } finally {
            subscribers.values().forEach(WsClient::close);
        }
    }

    /**
     * A member stopped normally (SIGTERM) leaves the ring before it stops: while stored pushes keep
     * coming through the other members, its subscribers are closed, the others name the keys' new
     * owners, and a client that subscribes there and fetches from its last mid has every push that was
     * answered with ret 0, in mid order.
     */
    @Test
    @Order(6)
    void aMemberStoppedNormallyHandsItsKeysOverAndNothingAnsweredIsLost() throws Exception {
        MicroMember leaving = CLUSTER.members().get(CLUSTER.members().size() - 1);
        List<MicroMember> staying = CLUSTER.members().stream().filter(member -> member != leaving).toList();
        Map<String, String> owners = staying.get(0).owners(KEYS);
        List<String> keys = KEYS.stream().filter(key -> owners.get(key).equals(leaving.name())).limit(5).toList();
        assertFalse(keys.isEmpty(), leaving.name() + " owns some keys");
        Map<String, WsClient> subscribers = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, Long>> seen = new LinkedHashMap<>();
        int rounds = 40;
        try {
            for (String key : keys) {
                subscribers.put(key, subscribe(leaving, key));
                seen.put(key, new TreeMap<>());
            }
            java.util.concurrent.CompletableFuture<Long> stopped = null;
            for (int round = 0; round < rounds; round++) {
                if (round == 10) {
                    stopped = java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> leaving.stop(MicroCluster.STOP_GRACE) ? System.nanoTime() : 0L);
                }
                MicroMember entry = staying.get(round % staying.size());
                for (String key : keys) {
                    push(entry, key, "{\"round\":" + round + "}", 600);
                }
                pause(50);
            }
            long exitedAt = stopped.get(2, java.util.concurrent.TimeUnit.MINUTES);
            assertTrue(exitedAt != 0, leaving.name() + " stopped by itself");
            CLUSTER.awaitSize(staying.size());
            for (String key : keys) {
                WsClient ws = subscribers.get(key);
                for (String frame = ws.next(300); frame != null; frame = ws.next(300)) {
                    JsonObject delivered = json(frame);
                    seen.get(key).put(delivered.getJsonObject("msg").getInt("round"), delivered.getJsonNumber("mid").longValueExact());
                }
                assertTrue(ws.closedWithin(WAIT), key + ": its member stopped");
                String newOwner = staying.get(1).http().get("/1/server/get?k=" + Http.encode(key) + "&p=1").json()
                        .getJsonObject("data").getString("server");
                assertNotEquals(leaving.hostPort(), newOwner, key);
                long last = seen.get(key).isEmpty() ? 0 : seen.get(key).lastEntry().getValue();
                JsonObject missed = staying.get(0).http().get("/1/msg/get?k=" + Http.encode(key) + "&m=" + last).json();
                if (missed.containsKey("data")) {
                    for (JsonValue message : missed.getJsonObject("data").getJsonArray("msgs")) {
                        JsonObject stored = message.asJsonObject();
                        seen.get(key).put(stored.getJsonObject("msg").getInt("round"), stored.getJsonNumber("mid").longValueExact());
                    }
                }
                assertEquals(rounds, seen.get(key).size(), key + ": live and fetched together are every push " + seen.get(key));
                long previous = 0;
                for (long mid : seen.get(key).values()) {
                    assertTrue(mid > previous, key + ": mids increase round after round " + seen.get(key));
                    previous = mid;
                }
            }
            for (WsClient ws : subscribers.values()) {
                // the log cannot tell: Java's logging stops at the shutdown's start
                assertTrue(ws.closedAtNanos() < exitedAt, "it closed its connections (leaving the ring) before it exited");
            }
        } finally {
            subscribers.values().forEach(WsClient::close);
        }
    }

    /**
     * A member is killed (SIGKILL) during a stream of stored pushes, every other round a group push to
     * a group of all the keys: every key has every round, live or fetched, in increasing mid order. A
     * group push answers the keys it failed for ({@code fk}); they are pushed again, as a back end does.
     */
    @Test
    @Order(7)
    void aKilledMemberLosesNoStoredPushAndMidsKeepIncreasingOnTheNewOwners() {
        awaitRing(CLUSTER.members().stream().map(MicroMember::name).collect(Collectors.toCollection(TreeSet::new)));
        MicroMember victim = CLUSTER.member("m2");
        List<MicroMember> survivors = CLUSTER.members().stream().filter(member -> member != victim).toList();
        Map<String, String> owners = survivors.get(0).owners(KEYS);
        List<String> victimKeys = KEYS.stream().filter(key -> owners.get(key).equals("m2")).limit(6).toList();
        List<String> otherKeys = KEYS.stream().filter(key -> !owners.get(key).equals("m2")).limit(3).toList();
        List<String> keys = new ArrayList<>(victimKeys);
        keys.addAll(otherKeys);
        Map<String, WsClient> subscribers = new LinkedHashMap<>();
        int rounds = 30;
        try {
            for (String key : keys) {
                subscribers.put(key, subscribe(CLUSTER.member(owners.get(key)), key));
            }
            String group = "killed-" + RUN;
            assertEquals(0, survivors.get(0).http().post("/1/admin/group/add?g=" + group + "&k="
                    + Http.encode(String.join(",", keys)), "").ret());
            for (int round = 0; round < rounds; round++) {
                if (round == rounds / 3) {
                    assertEquals(137, victim.kill(), "SIGKILL");
                }
                MicroMember entry = survivors.get(round % survivors.size());
                String message = "{\"round\":" + round + "}";
                if (round % 2 == 1) {
                    JsonObject reply = json(entry.http().post("/1/admin/push/group?g=" + group + "&expire=600", message)
                            .body());
                    assertEquals(0, reply.getInt("ret"), reply.toString());
                    if (reply.containsKey("data")) {
                        for (JsonString failed : reply.getJsonObject("data").getJsonArray("fk")
                                .getValuesAs(JsonString.class)) {
                            push(entry, failed.getString(), message, 600);
                        }
                    }
                } else {
                    for (String key : keys) {
                        push(entry, key, message, 600);
                    }
                }
                pause(100);
            }
            CLUSTER.awaitSize(survivors.size());
            awaitRing(survivors.stream().map(MicroMember::name).collect(Collectors.toCollection(TreeSet::new)));

            for (String key : keys) {
                WsClient ws = subscribers.get(key);
                TreeMap<Integer, Long> midByRound = new TreeMap<>();
                for (String frame = ws.next(300); frame != null; frame = ws.next(300)) {
                    JsonObject delivered = json(frame);
                    midByRound.put(delivered.getJsonObject("msg").getInt("round"), delivered.getJsonNumber("mid").longValueExact());
                }
                if (victimKeys.contains(key)) {
                    assertTrue(ws.closedWithin(WAIT), key + ": its member died");
                    assertTrue(midByRound.size() < rounds, key + " cannot have had every push live");
                } else {
                    assertEquals(rounds, midByRound.size(), key + ": its owner lived and delivered every push");
                }
                // as a client does: look up the node again at a survivor, then fetch what it missed
                String newOwner = survivors.get(0).http().get("/1/server/get?k=" + Http.encode(key) + "&p=1").json()
                        .getJsonObject("data").getString("server");
                assertNotEquals(victim.hostPort(), newOwner, key);
                long last = midByRound.isEmpty() ? 0 : midByRound.lastEntry().getValue();
                JsonObject missed = survivors.get(1).http().get("/1/msg/get?k=" + Http.encode(key) + "&m=" + last).json();
                if (missed.containsKey("data")) {
                    for (JsonValue message : missed.getJsonObject("data").getJsonArray("msgs")) {
                        JsonObject stored = message.asJsonObject();
                        midByRound.put(stored.getJsonObject("msg").getInt("round"), stored.getJsonNumber("mid").longValueExact());
                    }
                }
                assertEquals(rounds, midByRound.size(), key + ": live and fetched together are every push " + midByRound);
                long previous = 0;
                for (long mid : midByRound.values()) {
                    assertTrue(mid > previous, key + ": mids increase round after round " + midByRound);
                    previous = mid;
                }
            }
        } finally {
            subscribers.values().forEach(WsClient::close);
        }
    }

    @Test
    @Order(8)
    void aMemberOnItsOwnH2IsNotReadyAndSaysWhichStoreToConfigure() {
        MicroMember onH2 = CLUSTER.join(Map.of("push.store", "jpa", "push.auth", "true"));
        JsonObject ready = json(onH2.http().get("/health/ready").body());
        assertEquals("DOWN", ready.getString("status"), ready.toString());
        assertTrue(ready.toString().contains("embedded database"), ready.toString());
        assertTrue(onH2.log().contains("point jdbc/__default at a database server"), "the log says what to configure");
        JsonObject other = json(CLUSTER.member("m1").http().get("/health/ready").body());
        assertEquals("UP", other.getString("status"), "members on the shared store stay ready: " + other);
    }

    @Test
    @Order(9)
    void tokensRegisteredThroughAMemberSinceKilledAreCheckedByAMemberThatJoinedLater() {
        MicroMember checking = CLUSTER.members().get(CLUSTER.members().size() - 1);
        awaitRing(CLUSTER.members().stream().map(MicroMember::name).collect(Collectors.toCollection(TreeSet::new)));
        String key = keyOwnedBy(checking.name(), checking.owners(KEYS));
        try (WsClient ws = WsClient.connect(checking.http(), "key=" + Http.encode(key) + "&heartbeat=30&token=t-" + Http.encode(key))) {
            assertEquals("+h\r\n", ws.next(WAIT), "the token registered through m2");
        }
        try (WsClient ws = WsClient.connect(checking.http(), "key=" + Http.encode(key) + "&heartbeat=30&token=wrong")) {
            assertEquals("-a\r\n", ws.next(WAIT));
        }
        try (WsClient ws = WsClient.connect(checking.http(), "key=" + BANNED + "&heartbeat=30&token=t")) {
            assertEquals("-b\r\n", ws.next(WAIT), "the ban made through m2 survived m2's loss and reached "
                    + checking.name() + ", which joined later");
        }
    }
}
