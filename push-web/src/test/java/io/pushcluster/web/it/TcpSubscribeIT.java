package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PROTOCOL.md A.5, TCP subscribe, with real sockets against a real Payara Micro. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TcpSubscribeIT {

    private static final int PER_KEY = 3;
    private static final long WAIT = 10_000;
    private static final int TCP_PORT = Deployments.freePort();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of(
                "push.tcp.bind", "127.0.0.1:" + TCP_PORT,
                "push.heartbeat.min", "1",
                "push.subscribers.per-key", Integer.toString(PER_KEY),
                "push.limit.message-bytes", "262144"));
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

    private static TcpClient connect() {
        return new TcpClient(TCP_PORT);
    }

    /** A subscriber that got its {@code +h}. */
    private static TcpClient subscribed(String... arguments) {
        TcpClient client = connect().subscribe(arguments);
        assertEquals("+h\r\n", client.nextReply(WAIT), String.join(" ", arguments));
        return client;
    }

    private static String frame(String json) {
        return "$" + json.getBytes(StandardCharsets.UTF_8).length + "\r\n" + json + "\r\n";
    }

    @Test
    void pushesArriveInTheFormTheVersionArgumentChoosesWithTheirLengthInBytes() {
        String key = unique("forms");
        String message = "{\"text\":\"héllo wörld € 😀\",\"q\":\"say \\\"hi\\\"\"}";
        try (TcpClient legacy = subscribed("sub", key, "30");
                TcpClient emptyVersion = subscribed("sub", key, "30", "", "");
                TcpClient versioned = subscribed("sub", key, "30", "", "1")) {
            http.push(key, message, 60);
            JsonObject stored = http.get("/1/msg/get?k=" + key + "&m=0").json().getJsonObject("data")
                    .getJsonArray("msgs").getJsonObject(0);
            long mid = stored.getJsonNumber("mid").longValueExact();

            String legacyJson = "{\"msg\":" + Json.createValue(message) + ",\"mid\":" + mid + ",\"gid\":0}";
            String versionedJson = "{\"msg\":" + message + ",\"mid\":" + mid + ",\"gid\":0}";
            assertEquals(frame(legacyJson), legacy.nextFrame(WAIT));
            assertEquals(frame(legacyJson), emptyVersion.nextFrame(WAIT), "an empty version is no version");
            assertEquals(frame(versionedJson), versioned.nextFrame(WAIT));

            http.push(key, "[1]", 0);
            http.push(key, "\"ü\"", 0);
            long second = parse(versioned.nextJson(WAIT)).getJsonNumber("mid").longValueExact();
            JsonObject third = parse(versioned.nextJson(WAIT));
            assertEquals("ü", third.getString("msg"));
            assertTrue(mid < second && second < third.getJsonNumber("mid").longValueExact(), "mids increase per key");
        }
    }

    @Test
    void heartbeatsAreAnsweredAndKeepTheConnectionOpen() throws InterruptedException {
        String key = unique("beat");
        try (TcpClient client = subscribed("sub", key, "1", "", "1")) {
            for (int i = 0; i < 8; i++) {
                client.send("h");
                assertEquals("+h\r\n", client.nextReply(WAIT));
                Thread.sleep(1_000);
            }
            client.send("hh");
            assertEquals("+h\r\n", client.nextReply(WAIT));
            assertEquals("+h\r\n", client.nextReply(WAIT));
            http.push(key, "{\"alive\":true}", 0);
            assertTrue(parse(client.nextJson(WAIT)).getJsonObject("msg").getBoolean("alive"),
                    "heartbeats every second keep a heartbeat=1 connection past 1 + 5 s");
        }
    }

    @Test
    void aSilentSubscriberIsClosedAfterHeartbeatPlusFiveSeconds() {
        long timeoutsBefore = connectionStat("heartbeatTimeouts");
        long start = System.currentTimeMillis();
        try (TcpClient client = subscribed("sub", unique("silent"), "1")) {
            assertNull(client.restUntilClosed(4_000), "closed before heartbeat + 5 s");
            assertEquals("", client.restUntilClosed(10_000), "still open long after heartbeat + 5 s");
            long elapsed = System.currentTimeMillis() - start;
            assertTrue(elapsed >= 5_000 && elapsed < 14_000, "closed after " + elapsed + " ms");
        }
        assertTrue(connectionStat("heartbeatTimeouts") > timeoutsBefore);
    }

    @Test
    void theCommandMustArriveWithinFiveSecondsOfConnecting() throws InterruptedException {
        byte[] command = TcpClient.command("sub", unique("trickle"), "30");
        long start = System.currentTimeMillis();
        try (TcpClient silent = connect(); TcpClient trickle = connect()) {
            // one byte every 400 ms: the whole command would take longer than 5 s
            Thread trickling = new Thread(() -> {
                for (byte b : command) {
                    trickle.send(new byte[] {b});
                    try {
                        Thread.sleep(400);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            trickling.start();
            try {
                assertEquals("", silent.restUntilClosed(WAIT), "a client that never sends");
                long silentAfter = System.currentTimeMillis() - start;
                assertEquals("", trickle.restUntilClosed(WAIT), "a client that sends byte by byte");
                long trickleAfter = System.currentTimeMillis() - start;
                assertTrue(silentAfter >= 4_500 && silentAfter < 8_000, "silent client closed after " + silentAfter);
                assertTrue(trickleAfter >= 4_500 && trickleAfter < 8_000, "trickling client closed after " + trickleAfter);
            } finally {
                trickling.interrupt();
                trickling.join(5_000);
            }
        }
    }

    @Test
    void badParametersGetMinusPAndAClose() {
        List<String[]> commands = List.of(
                new String[] {"sub"},
                new String[] {"sub", "k"},
                new String[] {"sub", "k", "30", "t", "1", "extra"},
                new String[] {"pub", "k", "30"},
                new String[] {"SUB", "k", "30"},
                new String[] {"sub", "", "30"},
                new String[] {"sub", "k", ""},
                new String[] {"sub", "k", "abc"},
                new String[] {"sub", "k", "0"},
                new String[] {"sub", "k", "-3"},
                new String[] {"sub", "k", "1.5"},
                new String[] {"sub", "k", "99999999999"},
                new String[] {"sub", "k".repeat(200), "30"},
                new String[] {"sub", "k", "30", "t".repeat(300)});
        for (String[] command : commands) {
            try (TcpClient client = connect().subscribe(command)) {
                assertEquals("-p\r\n", client.restUntilClosed(WAIT), String.join(" ", command));
            }
        }
        for (String raw : List.of("*0\r\n", "*-1\r\n", "*6\r\n")) {
            try (TcpClient client = connect().send(raw)) {
                assertEquals("-p\r\n", client.restUntilClosed(WAIT), raw);
            }
        }
    }

    @Test
    void anyByteOtherThanTheHeartbeatClosesTheConnection() {
        for (String other : List.of("x", "H", "\r\n", "*", "\u0000")) {
            try (TcpClient client = subscribed("sub", unique("upstream"), "30")) {
                client.send("h" + other);
                assertEquals("+h\r\n", client.restUntilClosed(WAIT), "after " + (int) other.charAt(0));
            }
        }
    }

    @Test
    void aKeyHoldsAtMostItsSubscriberLimitAcrossTransports() {
        String key = unique("cap");
        try (TcpClient first = subscribed("sub", key, "30");
                WsClient second = WsClient.connect(http, "key=" + key + "&heartbeat=30");
                TcpClient third = subscribed("sub", key, "30", "", "1")) {
            assertEquals("+h\r\n", second.next(WAIT));
            try (TcpClient over = connect().subscribe("sub", key, "30")) {
                assertEquals("", over.restUntilClosed(WAIT), "the connection over the limit is closed without a reply");
            }
            http.push(key, "{\"all\":3}", 0);
            assertTrue(first.nextJson(WAIT).contains("all"));
            assertTrue(second.next(WAIT).contains("all"));
            assertTrue(third.nextJson(WAIT).contains("all"));
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsDisconnectedAndOthersKeepReceiving() {
        String slowKey = unique("slow");
        String fastKey = unique("fast");
        long slowBefore = connectionStat("slowDisconnects");
        String big = "\"" + "x".repeat(200_000) + "\"";
        try (TcpClient slow = new TcpClient(TCP_PORT, 4096).subscribe("sub", slowKey, "30");
                TcpClient fast = subscribed("sub", fastKey, "30")) {
            boolean disconnected = false;
            for (int i = 0; i < 200 && !disconnected; i++) {
                http.push(slowKey, big, 0);
                disconnected = connectionStat("slowDisconnects") > slowBefore;
            }
            assertTrue(disconnected, "the slow subscriber was never disconnected");
            http.push(fastKey, "{\"still\":true}", 0);
            assertTrue(fast.nextJson(WAIT).contains("still"));
            assertTrue(slow.closedByServerWithin(30_000), "the server never closed the slow connection");
        }
    }

    @Test
    void serverGetAnswersTheTcpListenersAddress() {
        String tcp = "127.0.0.1:" + TCP_PORT;
        assertEquals(tcp, http.get("/1/server/get?k=alice&p=2").json().getJsonObject("data").getString("server"));
        assertEquals(List.of(Json.createValue(tcp)),
                http.get("/2/server/get?k=alice&p=2").json().getJsonObject("data").getJsonArray("server"));
        assertEquals(tcp, http.get("/server/get?key=alice&proto=2").json().getJsonObject("data").getString("server"));
        assertEquals(http.hostPort(),
                http.get("/1/server/get?k=alice&p=1").json().getJsonObject("data").getString("server"));
    }

    @Test
    void malformedInputClosesOnlyThatConnectionAndTheListenerKeepsServing() {
        long connectionsBefore = currentConnections();
        List<byte[]> junk = malformedInputs();
        assertTrue(junk.size() >= 300, junk.size() + " inputs");
        List<TcpClient> clients = new ArrayList<>();
        try {
            for (byte[] input : junk) {
                clients.add(connect().send(input));
            }
            // every input ends in a framing error, a refusal, a subscription that times out (1 s heartbeat
            // at most 9 s), or the 5 s command deadline
            for (int i = 0; i < clients.size(); i++) {
                assertTrue(clients.get(i).closedByServerWithin(20_000), "junk connection " + i + " still open");
            }
        } finally {
            clients.forEach(TcpClient::close);
        }
        String key = unique("after-junk");
        try (TcpClient client = subscribed("sub", key, "30", "", "1")) {
            http.push(key, "{\"ok\":1}", 0);
            assertEquals(1, parse(client.nextJson(WAIT)).getJsonObject("msg").getInt("ok"));
            assertEquals(connectionsBefore + 1, currentConnections(), "junk left no connection in the hub");
        }
        assertEquals(0, http.get("/1/time/get").ret());
    }

    /** Random bytes, mutated and truncated commands, and hand-picked framing errors. */
    private static List<byte[]> malformedInputs() {
        Random random = new Random(42);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            byte[] garbage = new byte[1 + random.nextInt(400)];
            random.nextBytes(garbage);
            inputs.add(garbage);
        }
        byte[] valid = TcpClient.command("sub", "junk-key", "1", "token", "1");
        for (int i = 0; i < 150; i++) {
            byte[] mutated = valid.clone();
            switch (i % 4) {
                case 0 -> mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                case 1 -> mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
                case 2 -> {
                    byte[] tail = new byte[1 + random.nextInt(50)];
                    random.nextBytes(tail);
                    mutated = concat(Arrays.copyOf(mutated, random.nextInt(mutated.length)), tail);
                }
                default -> {
                    int at = random.nextInt(mutated.length);
                    mutated[at] = mutated[at] == '\r' ? (byte) '\n' : (byte) '\r';
                }
            }
            inputs.add(mutated);
        }
        for (String text : List.of(
                "*3\r\n$99999999999\r\n",
                "*3\r\n$-1\r\n",
                "*3\r\n$abc\r\n",
                "*3\r\n$1025\r\n",
                "*3\r\n$3\r\nsub\r\n$1\r\nk\r\n$1\r\n1\r\nX",
                "*3\r\n$3\r\nsub\r\n$1\r\nk\r\n$1\r\n1\r\n\r\n",
                "*99\r\n",
                "*2147483648\r\n",
                "*3\n$3\nsub\n$1\nk\n$2\n30\n",
                "sub k 30\r\n",
                "GET /sub?key=k&heartbeat=30 HTTP/1.1\r\nHost: x\r\n\r\n",
                "\r\n\r\n\r\n",
                "*3\r\n$3\r\nsub\r\n$1\r\nk\r\n$2\r\n30",
                "*3\r\n$3\r\nsub\r\n$1\r\nk\r\n$2\r\n3\u00000\r\n",
                "*3\r\n$3\r\nsub\r\n$2\r\n\u00ff\u00fe\r\n$2\r\n30\r\n",
                "$3\r\nsub\r\n",
                "+OK\r\n",
                "h",
                "hhhhhhhhhh",
                "*")) {
            inputs.add(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        inputs.add(("*" + "9".repeat(10_000)).getBytes(StandardCharsets.US_ASCII));
        inputs.add(concat("*3\r\n$3\r\nsub\r\n$1024\r\n".getBytes(StandardCharsets.US_ASCII), new byte[100_000]));
        inputs.add(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
        inputs.add(new byte[0]);
        return inputs;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private long connectionStat(String name) {
        return stats().getJsonObject("connections").getJsonNumber(name).longValue();
    }

    private long currentConnections() {
        return connectionStat("current");
    }

    private JsonObject stats() {
        return http.get("/1/admin/stats").json().getJsonObject("data");
    }

    private static JsonObject parse(String json) {
        assertNotNull(json, "no frame arrived");
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
