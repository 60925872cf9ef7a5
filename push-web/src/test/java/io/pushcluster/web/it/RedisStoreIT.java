package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.store.redis.EmbeddedRedis;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The server on the Redis store, against a real Redis started by this test: offline messages end to
 * end, then the failure behaviour while Redis is stopped and the recovery once it is started again.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedisStoreIT {

    private static final int CAP = 3;
    private static final int TIMEOUT_MILLIS = 1000;
    private static final long WAIT = 10_000;
    private static final EmbeddedRedis REDIS = EmbeddedRedis.startPersistent();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of(
                "push.store", "redis",
                "push.redis.servers", "it=" + REDIS.uri(),
                "push.redis.timeout-ms", Integer.toString(TIMEOUT_MILLIS),
                "push.store.cap", Integer.toString(CAP)));
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @ArquillianResource
    URL base;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(base);
    }

    private static String unique(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    @Test
    void storesInRedisFetchesCapsAndDeletes() {
        String key = unique("offline");
        for (int n = 1; n <= 5; n++) {
            http.push(key, "{\"n\":" + n + "}", 600);
        }
        JsonArray kept = messages(key, 0);
        assertEquals(List.of(3, 4, 5), numbers(kept), "the newest " + CAP + ", oldest first");
        long midOfFour = kept.getJsonObject(1).getJsonNumber("mid").longValueExact();
        assertEquals(List.of(5), numbers(messages(key, midOfFour)));
        try (Jedis redis = REDIS.client()) {
            assertEquals(CAP, redis.zcard("push:m:" + key), "the messages are in Redis");
        }

        assertEquals(0, http.postForm("/1/admin/msg/del", Map.of("key", key)).ret());
        assertEquals("{\"ret\":0}", http.get("/1/msg/get?k=" + key + "&m=0").body());

        String keys = key + "-a," + key + "-b";
        String body = Json.createObjectBuilder().add("m", "{\"n\":9}").add("k", keys).build().toString();
        assertEquals("{\"ret\":0}", http.post("/1/admin/push/mprivate?expire=600", body).body());
        for (String each : keys.split(",")) {
            assertEquals(List.of(9), numbers(messages(each, 0)), each);
        }

        assertEquals(200, http.get("/health/ready").status());
        assertEquals("redis", http.get("/1/admin/stats").json().getJsonObject("data").getJsonObject("config")
                .getString("push.store"));
    }

    @Test
    void aRedisOutageFailsStoredPushesAndReadsOnlyAndHealsByItself() {
        String key = unique("outage");
        List<Integer> accepted = new ArrayList<>();
        try (WsClient subscriber = WsClient.connect(http, "key=" + key + "&heartbeat=30&ver=1")) {
            assertEquals("+h\r\n", subscriber.next(WAIT));
            push(key, 1, 600, accepted);
            assertEquals(1, number(subscriber.next(WAIT)));

            REDIS.stop();
            long start = System.nanoTime();
            assertEquals(65535, http.post("/1/admin/push/private?key=" + key + "&expire=600", "{\"n\":2}").ret());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < TIMEOUT_MILLIS + 3_000, "the failed push took " + tookMillis + " ms");
            push(key, 3, 0, new ArrayList<>());
            assertEquals(3, number(subscriber.next(WAIT)), "the live push arrives; the failed one never did");
            String body = Json.createObjectBuilder().add("m", "{\"n\":4}").add("k", key).build().toString();
            JsonObject multi = http.post("/1/admin/push/mprivate?expire=600", body).json();
            assertEquals(List.of(Json.createValue(key)), multi.getJsonObject("data").getJsonArray("fk"));
            assertEquals(65535, http.get("/1/msg/get?k=" + key + "&m=0").ret());
            Http.Reply ready = http.get("/health/ready");
            assertEquals(503, ready.status(), ready.body());
            assertEquals("DOWN", ready.json().getString("status"));

            REDIS.restart();
            assertEquals(200, http.get("/health/ready").status());
            push(key, 5, 600, accepted);
            assertEquals(5, number(subscriber.next(WAIT)), "nothing else arrived in between");
            assertEquals(accepted, numbers(messages(key, 0)), "every accepted message once, and no other");
        }
    }

    private void push(String key, int n, long expire, List<Integer> accepted) {
        http.push(key, "{\"n\":" + n + "}", expire);
        if (expire > 0) {
            accepted.add(n);
        }
    }

    private JsonArray messages(String key, long after) {
        JsonObject reply = http.get("/1/msg/get?k=" + Http.encode(key) + "&m=" + after).json();
        assertEquals(0, reply.getInt("ret"), reply.toString());
        return reply.getJsonObject("data").getJsonArray("msgs");
    }

    private static List<Integer> numbers(JsonArray messages) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            numbers.add(messages.getJsonObject(i).getJsonObject("msg").getInt("n"));
        }
        return numbers;
    }

    private static int number(String frame) {
        try (JsonReader reader = Json.createReader(new StringReader(frame))) {
            return reader.readObject().getJsonObject("msg").getInt("n");
        }
    }
}
