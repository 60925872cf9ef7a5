package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PROTOCOL.md A.4, WebSocket subscribe, with real WebSocket clients against a real Payara Micro: every
 * test runs on {@code /sub} at Payara's HTTP port and on the WebSocket listener's own port.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebSocketSubscribeIT {

    private static final int PER_KEY = 3;
    private static final long WAIT = 10_000;
    private static final int LISTENER_PORT = Deployments.freePort();

    /** Where a subscriber connects. */
    enum Port {
        /** {@code /sub} on Payara's HTTP port. */
        HTTP,
        /** The WebSocket listener of our own, {@code push.websocket.bind}. */
        LISTENER
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of(
                "push.heartbeat.min", "1",
                "push.subscribers.per-key", Integer.toString(PER_KEY),
                "push.limit.message-bytes", "262144",
                "push.origins", "http://allowed.example",
                "push.websocket.bind", "127.0.0.1:" + LISTENER_PORT));
    }

    @ArquillianResource
    URL base;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(base);
    }

    private int portNumber(Port port) {
        return port == Port.HTTP ? http.port() : LISTENER_PORT;
    }

    private String address(Port port) {
        return "127.0.0.1:" + portNumber(port);
    }

    private static String unique(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void subscriberGetsHeartbeatReplyThenLegacyFormMessages(Port port) {
        String key = unique("legacy");
        try (WsClient ws = WsClient.connect(address(port), "key=" + key + "&heartbeat=30")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            http.push(key, "{\"text\":\"hi \\\"there\\\"\"}", 0);
            JsonObject frame = parse(ws.next(WAIT));
            assertEquals("{\"text\":\"hi \\\"there\\\"\"}", frame.getString("msg"), "msg is the pushed JSON as a string");
            assertEquals(0, frame.getInt("gid"));
            assertTrue(frame.getJsonNumber("mid").longValueExact() > 0);

            http.push(key, "{\"html\":\"<b>&</b>\"}", 0);
            String raw = ws.next(WAIT);
            assertTrue(raw.contains("\\u003cb\\u003e\\u0026\\u003c/b\\u003e"), "escaped as gopush-cluster's Go encoder does: " + raw);
            assertEquals("{\"html\":\"<b>&</b>\"}", parse(raw).getString("msg"));
        }
    }

    /**
     * PROTOCOL.md A.4: {@code +h} is the first frame, even when pushes to the key arrive while the
     * subscriber is being admitted: a pusher sends to 20 keys in turn without pause while a subscriber
     * of each connects.
     */
    @ParameterizedTest
    @EnumSource(Port.class)
    void theHeartbeatReplyComesBeforeAnyPushEvenWhilePushesArrive(Port port) throws Exception {
        String key = unique("first");
        java.util.concurrent.atomic.AtomicBoolean pushing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CompletableFuture<Integer> pusher = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            int sent = 0;
            while (pushing.get() && sent < 20_000) {
                http.push(key + "-" + sent % 20, "{\"n\":" + sent++ + "}", 0);
            }
            return sent;
        });
        try {
            for (int i = 0; i < 20; i++) {
                try (WsClient ws = WsClient.connect(address(port), "key=" + key + "-" + i + "&heartbeat=30&ver=1")) {
                    assertEquals("+h\r\n", ws.next(WAIT), "the first frame of subscriber " + i);
                }
            }
        } finally {
            pushing.set(false);
        }
        assertTrue(pusher.get(60, java.util.concurrent.TimeUnit.SECONDS) > 0, "pushes ran meanwhile");
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void versionedSubscriberGetsRawJsonAndTheStoredMid(Port port) {
        String key = unique("versioned");
        try (WsClient ws = WsClient.connect(address(port), "key=" + key + "&heartbeat=30&ver=1")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            http.push(key, "{\"n\":7}", 60);
            JsonObject frame = parse(ws.next(WAIT));
            assertEquals(7, frame.getJsonObject("msg").getInt("n"));
            long delivered = frame.getJsonNumber("mid").longValueExact();
            JsonObject stored = http.get("/1/msg/get?k=" + key + "&m=0").json().getJsonObject("data")
                    .getJsonArray("msgs").getJsonObject(0);
            assertEquals(delivered, stored.getJsonNumber("mid").longValueExact(), "same mid delivered and stored");

            http.push(key, "[1]", 0);
            http.push(key, "\"s\"", 0);
            long second = parse(ws.next(WAIT)).getJsonNumber("mid").longValueExact();
            long third = parse(ws.next(WAIT)).getJsonNumber("mid").longValueExact();
            assertTrue(delivered < second && second < third, "mids increase per key");
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void multiKeyPushReachesEverySubscribedKey(Port port) {
        String a = unique("multi-a");
        String b = unique("multi-b");
        try (WsClient wa = WsClient.connect(address(port), "key=" + a + "&heartbeat=30&ver=1");
                WsClient wb = WsClient.connect(address(port), "key=" + b + "&heartbeat=30")) {
            assertEquals("+h\r\n", wa.next(WAIT));
            assertEquals("+h\r\n", wb.next(WAIT));
            String body = Json.createObjectBuilder().add("m", "{\"to\":\"both\"}").add("k", a + "," + b).build()
                    .toString();
            assertEquals("{\"ret\":0}", http.post("/1/admin/push/mprivate?expire=0", body).body());
            assertEquals("both", parse(wa.next(WAIT)).getJsonObject("msg").getString("to"));
            assertEquals("{\"to\":\"both\"}", parse(wb.next(WAIT)).getString("msg"));
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void badParametersGetMinusPAndAClose(Port port) {
        for (String query : List.of("heartbeat=30", "key=&heartbeat=30", "key=a", "key=a&heartbeat=abc",
                "key=a&heartbeat=0", "key=a&heartbeat=-3", "key=a&heartbeat=99999999999",
                "key=" + "k".repeat(200) + "&heartbeat=30")) {
            try (WsClient ws = WsClient.connect(address(port), query)) {
                assertEquals("-p\r\n", ws.next(WAIT), query);
                assertTrue(ws.closedWithin(WAIT), query);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void heartbeatIsAnsweredAndKeepsTheConnectionOpen(Port port) throws InterruptedException {
        String key = unique("beat");
        try (WsClient ws = WsClient.connect(address(port), "key=" + key + "&heartbeat=1")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            for (int i = 0; i < 8; i++) {
                ws.send("h");
                assertEquals("+h\r\n", ws.next(WAIT));
                Thread.sleep(1_000);
            }
            assertTrue(ws.isOpen(), "heartbeats every second keep a heartbeat=1 connection past 1 + 5 s");
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void silentSubscriberIsClosedAfterHeartbeatPlusFiveSeconds(Port port) {
        String key = unique("silent");
        try (WsClient ws = WsClient.connect(address(port), "key=" + key + "&heartbeat=1")) {
            long start = System.currentTimeMillis();
            assertEquals("+h\r\n", ws.next(WAIT));
            assertFalse(ws.closedWithin(4_000), "closed before heartbeat + 5 s");
            assertTrue(ws.closedWithin(10_000), "still open long after heartbeat + 5 s");
            long elapsed = System.currentTimeMillis() - start;
            assertTrue(elapsed >= 5_000 && elapsed < 14_000, "closed after " + elapsed + " ms");
        }
        JsonObject connections = stats().getJsonObject("connections");
        assertTrue(connections.getJsonNumber("heartbeatTimeouts").longValue() >= 1);
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void anyFrameOtherThanTheHeartbeatClosesTheConnection(Port port) {
        String key = unique("upstream");
        try (WsClient ws = WsClient.connect(address(port), "key=" + key + "&heartbeat=30")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            ws.send("hello");
            assertTrue(ws.closedWithin(WAIT));
        }
        try (WsClient ws = WsClient.connect(address(port), "key=" + key + "&heartbeat=30")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            ws.sendBinary(new byte[] {'h'});
            assertTrue(ws.closedWithin(WAIT));
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void aKeyHoldsAtMostItsSubscriberLimit(Port port) {
        String key = unique("cap");
        List<WsClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_KEY; i++) {
                WsClient ws = WsClient.connect(address(port), "key=" + key + "&heartbeat=30");
                held.add(ws);
                assertEquals("+h\r\n", ws.next(WAIT));
            }
            try (WsClient over = WsClient.connect(address(port), "key=" + key + "&heartbeat=30")) {
                assertTrue(over.closedWithin(WAIT), "the connection over the limit is closed");
                assertNull(over.next(100), "without a reply");
            }
            http.push(key, "{\"all\":3}", 0);
            for (WsClient ws : held) {
                assertTrue(ws.next(WAIT).contains("all"));
            }
        } finally {
            held.forEach(WsClient::close);
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void aSubscriberThatDoesNotReadIsDisconnectedAndOthersKeepReceiving(Port port) {
        String slowKey = unique("slow");
        String fastKey = unique("fast");
        long slowBefore = stats().getJsonObject("connections").getJsonNumber("slowDisconnects").longValue();
        String big = "\"" + "x".repeat(200_000) + "\"";
        try (RawWebSocket slow = new RawWebSocket(portNumber(port), "key=" + slowKey + "&heartbeat=30", 4096);
                WsClient fast = WsClient.connect(address(port), "key=" + fastKey + "&heartbeat=30")) {
            assertTrue(slow.upgraded());
            assertEquals("+h\r\n", fast.next(WAIT));
            boolean disconnected = false;
            for (int i = 0; i < 200 && !disconnected; i++) {
                http.push(slowKey, big, 0);
                disconnected = stats().getJsonObject("connections").getJsonNumber("slowDisconnects").longValue()
                        > slowBefore;
            }
            assertTrue(disconnected, "the slow subscriber was never disconnected");
            http.push(fastKey, "{\"still\":true}", 0);
            assertTrue(fast.next(WAIT).contains("still"));
            assertTrue(slow.closedByServerWithin(30_000), "the server never closed the slow connection");
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void browserOriginsOffTheListAreRefused(Port port) {
        String key = unique("origin");
        assertThrows(IllegalStateException.class,
                () -> WsClient.connectWithOrigin(address(port), "key=" + key + "&heartbeat=30", "http://evil.example"));
        try (WsClient ws = WsClient.connectWithOrigin(address(port), "key=" + key + "&heartbeat=30", "http://allowed.example")) {
            assertEquals("+h\r\n", ws.next(WAIT));
        }
    }

    @ParameterizedTest
    @EnumSource(Port.class)
    void malformedFramesAndHandshakesLeaveTheNodeServing(Port port) {
        Random random = new Random(7);
        List<RawWebSocket> junk = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                RawWebSocket raw = new RawWebSocket(portNumber(port), "key=" + unique("junk") + "&heartbeat=1", 0);
                junk.add(raw);
                byte[] payload = new byte[random.nextInt(300)];
                random.nextBytes(payload);
                switch (i % 5) {
                    case 0 -> raw.sendRaw(payload);
                    case 1 -> raw.sendRaw(RawWebSocket.frame(random.nextInt(16), payload, random.nextBoolean()));
                    case 2 -> raw.sendRaw(RawWebSocket.frame(0x1, "h".repeat(5000).getBytes(StandardCharsets.US_ASCII),
                            true));
                    case 3 -> raw.sendRaw(RawWebSocket.frame(0x9, new byte[200], true));
                    default -> raw.sendRaw(RawWebSocket.frame(0x1, new byte[] {(byte) 0xC3, 0x28}, true));
                }
                raw.sendRaw(RawWebSocket.frame(0x1, new byte[] {'x'}, true));
            }
            // whatever the junk was, each connection is closed at the latest when its 1 s heartbeat + 5 s lapse
            for (int i = 0; i < junk.size(); i++) {
                assertTrue(junk.get(i).closedByServerWithin(WAIT), "junk connection " + i + " still open");
            }
        } finally {
            junk.forEach(RawWebSocket::close);
        }
        try (RawWebSocket huge = new RawWebSocket(portNumber(port), "key=" + unique("huge") + "&heartbeat=1", 0)) {
            huge.sendRaw(new byte[] {(byte) 0x81, (byte) 0xFF, 0x7f, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, 4});
            huge.sendRaw(new byte[8192]);
            assertTrue(huge.closedByServerWithin(WAIT), "a frame announcing 2^63 bytes");
        }
        for (String query : List.of("key=a%ZZ&heartbeat=30", "key=%00&heartbeat=%00", "heartbeat=30&key=a&key=b")) {
            try (RawWebSocket raw = new RawWebSocket(portNumber(port), query, 0)) {
                raw.sendRaw(new byte[] {0});
            }
        }
        String key = unique("after-junk");
        try (WsClient ws = WsClient.connect(address(port), "key=" + key + "&heartbeat=30&ver=1")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            http.push(key, "{\"ok\":1}", 0);
            assertEquals(1, parse(ws.next(WAIT)).getJsonObject("msg").getInt("ok"));
        }
        assertEquals(0, http.get("/1/time/get").ret());
    }

    private JsonObject stats() {
        return http.get("/1/admin/stats").json().getJsonObject("data");
    }

    private static JsonObject parse(String json) {
        assertTrue(json != null, "no frame arrived");
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
