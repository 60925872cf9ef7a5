package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.web.it.slow.SlowStore;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The order promise under attack: many threads push to a few keys at once, through Payara's port and
 * through the HTTP listener of our own, with and without expiry, while the store (JPA on Payara's
 * H2) takes a random time for every save and fails one in twenty on purpose ({@link SlowStore}).
 * Subscribers on every transport ({@code /sub}, the WebSocket listener, TCP) must receive exactly the
 * pushes answered with ret 0, each once, in strictly increasing mid order; the store must hold
 * exactly those pushed with an expiry; a push answered 65535 is nowhere.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OrderingIT {

    private static final int WS_PORT = Deployments.freePort();
    private static final int TCP_PORT = Deployments.freePort();
    private static final int HTTP_PORT = Deployments.freePort();
    private static final int THREADS = 8;
    private static final int PUSHES_PER_THREAD = 120;
    private static final long WAIT = 20_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of(
                "push.websocket.bind", "127.0.0.1:" + WS_PORT,
                "push.tcp.bind", "127.0.0.1:" + TCP_PORT,
                "push.http.bind", "127.0.0.1:" + HTTP_PORT,
                "push.store.cap", "5000",
                "test.store.max-delay-ms", "15",
                "test.store.failure-percent", "5"))
                .addPackage(SlowStore.class.getPackage());
    }

    @ArquillianResource
    URL base;

    /** One subscriber of a key on one transport, read as versioned messages. */
    private interface Subscriber extends AutoCloseable {
        /** The next message, or null when none arrives in time. */
        JsonObject next(long timeoutMillis);

        @Override
        void close();
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static Subscriber onWebSocket(String hostPort, String key) {
        WsClient client = WsClient.connect(hostPort, "key=" + key + "&heartbeat=30&ver=1");
        assertEquals("+h\r\n", client.next(WAIT), "+h is the first frame");
        return new Subscriber() {
            @Override
            public JsonObject next(long timeoutMillis) {
                String frame = client.next(timeoutMillis);
                return frame == null ? null : parse(frame);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static Subscriber onTcp(String key) {
        TcpClient client = new TcpClient(TCP_PORT).subscribe("sub", key, "30", "", "1");
        assertEquals("+h\r\n", client.nextReply(WAIT), "+h is the first reply");
        return new Subscriber() {
            @Override
            public JsonObject next(long timeoutMillis) {
                String json = client.nextJson(timeoutMillis);
                return json == null ? null : parse(json);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    @Test
    void concurrentPushersThroughASlowFlakyStoreAreDeliveredOnEveryTransportInMidOrderExactlyAsAnswered()
            throws Exception {
        Http payara = new Http(base);
        Http listener = new Http(HTTP_PORT);
        String prefix = "order-" + System.nanoTime();
        List<String> keys = List.of(prefix + "-a", prefix + "-b");
        Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
        for (String key : keys) {
            subscribers.put(key, List.of(onWebSocket(payara.hostPort(), key), onWebSocket("127.0.0.1:" + WS_PORT, key),
                    onTcp(key)));
        }
        Map<String, Set<String>> answered = new ConcurrentHashMap<>();
        Map<String, Set<String>> storedAnswered = new ConcurrentHashMap<>();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        for (String key : keys) {
            answered.put(key, ConcurrentHashMap.newKeySet());
            storedAnswered.put(key, ConcurrentHashMap.newKeySet());
        }
        try {
            ExecutorService pushers = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(pushers.submit(() -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        for (int i = 0; i < PUSHES_PER_THREAD; i++) {
                            String key = keys.get(random.nextInt(keys.size()));
                            long expire = random.nextBoolean() ? 0 : 600;
                            String id = thread + "." + i;
                            Http via = (thread % 2 == 0) ? payara : listener;
                            int ret = via.post("/1/admin/push/private?key=" + key + "&expire=" + expire,
                                    "{\"id\":\"" + id + "\"}").ret();
                            if (ret == 0) {
                                answered.get(key).add(id);
                                if (expire > 0) {
                                    storedAnswered.get(key).add(id);
                                }
                            } else {
                                assertEquals(65535, ret);
                                failed.add(id);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pushers.shutdownNow();
            }
            assertTrue(!failed.isEmpty(), "the store failed some pushes on purpose");

            for (String key : keys) {
                Set<String> expected = answered.get(key);
                for (Subscriber subscriber : subscribers.get(key)) {
                    List<String> ids = new ArrayList<>();
                    long lastMid = 0;
                    while (ids.size() < expected.size()) {
                        JsonObject message = subscriber.next(WAIT);
                        assertTrue(message != null, key + ": only " + ids.size() + " of " + expected.size() + " arrived");
                        long mid = message.getJsonNumber("mid").longValueExact();
                        assertTrue(mid > lastMid, key + ": mid " + mid + " after " + lastMid);
                        lastMid = mid;
                        ids.add(message.getJsonObject("msg").getString("id"));
                    }
                    assertNull(subscriber.next(300), key + ": nothing more than what was answered");
                    assertEquals(expected, new HashSet<>(ids), key + ": exactly the pushes answered with ret 0");
                    assertEquals(expected.size(), ids.size(), key + ": each once");
                }
                JsonArray stored = payara.get("/1/msg/get?k=" + key + "&m=0").json().getJsonObject("data")
                        .getJsonArray("msgs");
                Set<String> storedIds = new HashSet<>();
                long lastMid = 0;
                for (int i = 0; i < stored.size(); i++) {
                    JsonObject message = stored.getJsonObject(i);
                    long mid = message.getJsonNumber("mid").longValueExact();
                    assertTrue(mid > lastMid, "stored oldest first");
                    lastMid = mid;
                    storedIds.add(message.getJsonObject("msg").getString("id"));
                }
                assertEquals(storedAnswered.get(key), storedIds, key + ": the store holds exactly the stored pushes answered 0");
            }
        } finally {
            subscribers.values().forEach(list -> list.forEach(Subscriber::close));
        }
    }
}
