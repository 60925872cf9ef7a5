package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only the WebSocket listener of our own ({@code push.websocket.bind}) does, against a real Payara
 * Micro with the JDK's WebSocket client and raw sockets: {@code /1/server/get} names it, close frames
 * and pings, one hub with {@code /sub} and TCP, its connection cap, malformed handshakes. The subscribe
 * protocol itself is {@link WebSocketSubscribeIT}'s, which runs on both ports.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebSocketListenerIT {

    private static final int PER_KEY = 3;
    private static final int CAP = 400;
    private static final long WAIT = 10_000;
    private static final int WS_PORT = Deployments.freePort();
    private static final int TCP_PORT = Deployments.freePort();
    private static final String LISTENER = "127.0.0.1:" + WS_PORT;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of(
                "push.websocket.bind", LISTENER,
                "push.limit.websocket-connections", Integer.toString(CAP),
                "push.tcp.bind", "127.0.0.1:" + TCP_PORT,
                "push.heartbeat.min", "1",
                "push.subscribers.per-key", Integer.toString(PER_KEY)));
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

    /** A subscriber on the listener that got its {@code +h}. */
    private static WsClient subscribed(String query) {
        WsClient ws = WsClient.connect(LISTENER, query);
        assertEquals("+h\r\n", ws.next(WAIT), query);
        return ws;
    }

    @Test
    void serverGetNamesTheListener() {
        assertEquals(LISTENER, http.get("/1/server/get?k=alice&p=1").json().getJsonObject("data").getString("server"));
        assertEquals(List.of(Json.createValue(LISTENER)),
                http.get("/2/server/get?k=alice&p=1").json().getJsonObject("data").getJsonArray("server"));
        assertEquals(LISTENER,
                http.get("/server/get?key=alice&proto=1").json().getJsonObject("data").getString("server"));
        assertEquals("127.0.0.1:" + TCP_PORT,
                http.get("/1/server/get?k=alice&p=2").json().getJsonObject("data").getString("server"));
        assertEquals(LISTENER, stats().getJsonObject("config").getString("push.websocket.bind"));
    }

    @Test
    void closeFramesCarryTheirStatusAndPingsAreAnswered() {
        String key = unique("frames");
        try (WsClient ws = subscribed("key=" + key + "&heartbeat=30")) {
            assertArrayEquals(new byte[] {4, 2}, ws.ping(new byte[] {4, 2}, WAIT));
            ws.send("hello");
            assertEquals(1000, ws.closeCode(WAIT), "anything but the heartbeat closes normally");
        }
        try (WsClient ws = subscribed("key=" + key + "&heartbeat=30")) {
            ws.sendClose(4000);
            assertEquals(4000, ws.closeCode(WAIT), "the server answers the client's close with its status");
        }
    }

    /**
     * A public message reaches every subscriber on every transport once, each in its own form, with
     * gid 1: the WebSocket listener and {@code /sub} (versioned and legacy clients) and TCP.
     */
    @Test
    void aPublicMessageReachesEverySubscriberOnEveryTransportWithGidOne() {
        try (WsClient versioned = subscribed("key=" + unique("pub-v") + "&heartbeat=30&ver=1");
                WsClient legacy = subscribed("key=" + unique("pub-l") + "&heartbeat=30");
                WsClient endpoint = WsClient.connect(http, "key=" + unique("pub-e") + "&heartbeat=30&ver=1");
                TcpClient tcp = new TcpClient(TCP_PORT).subscribe("sub", unique("pub-t"), "30", "", "1")) {
            assertEquals("+h\r\n", endpoint.next(WAIT));
            assertEquals("+h\r\n", tcp.nextReply(WAIT));
            assertEquals(0, http.post("/1/admin/push/public?expire=0", "{\"news\":\"all\"}").ret());
            JsonObject fromListener = Json.createReader(new StringReader(versioned.next(WAIT))).readObject();
            assertEquals("all", fromListener.getJsonObject("msg").getString("news"));
            assertEquals(1, fromListener.getInt("gid"));
            long pmid = fromListener.getJsonNumber("mid").longValueExact();
            assertEquals("{\"msg\":{\"news\":\"all\"},\"mid\":" + pmid + ",\"gid\":1}", endpoint.next(WAIT));
            assertEquals("{\"msg\":\"{\\\"news\\\":\\\"all\\\"}\",\"mid\":" + pmid + ",\"gid\":1}", legacy.next(WAIT),
                    "gopush-cluster's legacy form, the message as a string");
            assertEquals("{\"msg\":{\"news\":\"all\"},\"mid\":" + pmid + ",\"gid\":1}", tcp.nextJson(WAIT));
            assertNull(versioned.next(300), "once");
        }
    }

    /**
     * A group push reaches the group's keys on every transport once, each in its own form, with gid 0
     * like a private message (so gopush-cluster's SDKs take it unchanged), and no key outside the group.
     */
    @Test
    void aGroupPushReachesTheGroupsSubscribersOnEveryTransportAsAPrivateMessage() {
        String group = unique("grp");
        String onListener = unique("grp-v");
        String legacyClient = unique("grp-l");
        String onSub = unique("grp-e");
        String onTcp = unique("grp-t");
        try (WsClient versioned = subscribed("key=" + onListener + "&heartbeat=30&ver=1");
                WsClient legacy = subscribed("key=" + legacyClient + "&heartbeat=30");
                WsClient endpoint = WsClient.connect(http, "key=" + onSub + "&heartbeat=30&ver=1");
                TcpClient tcp = new TcpClient(TCP_PORT).subscribe("sub", onTcp, "30", "", "1");
                WsClient outside = subscribed("key=" + unique("grp-x") + "&heartbeat=30&ver=1")) {
            assertEquals("+h\r\n", endpoint.next(WAIT));
            assertEquals("+h\r\n", tcp.nextReply(WAIT));
            assertEquals(0, http.post("/1/admin/group/add?g=" + group + "&k="
                    + String.join(",", onListener, legacyClient, onSub, onTcp), "").ret());
            assertEquals(0, http.post("/1/admin/push/group?g=" + group + "&expire=0", "{\"to\":\"group\"}").ret());
            for (String frame : List.of(versioned.next(WAIT), endpoint.next(WAIT), tcp.nextJson(WAIT))) {
                JsonObject message = parse(frame);
                assertEquals("group", message.getJsonObject("msg").getString("to"), frame);
                assertEquals(0, message.getInt("gid"), frame);
            }
            JsonObject fromLegacy = parse(legacy.next(WAIT));
            assertEquals("{\"to\":\"group\"}", fromLegacy.getString("msg"), "the legacy form, the message as a string");
            assertEquals(0, fromLegacy.getInt("gid"));
            assertNull(outside.next(300), "a key outside the group");
            assertNull(versioned.next(300), "once");
        }
    }

    @Test
    void aKeyHoldsAtMostItsSubscriberLimitAcrossTransports() {
        String key = unique("cap");
        try (WsClient listener = subscribed("key=" + key + "&heartbeat=30");
                WsClient endpoint = WsClient.connect(http, "key=" + key + "&heartbeat=30");
                TcpClient tcp = new TcpClient(TCP_PORT).subscribe("sub", key, "30")) {
            assertEquals("+h\r\n", endpoint.next(WAIT));
            assertEquals("+h\r\n", tcp.nextReply(WAIT));
            try (WsClient over = WsClient.connect(LISTENER, "key=" + key + "&heartbeat=30")) {
                assertEquals(1000, over.closeCode(WAIT), "the connection over the limit is closed");
                assertNull(over.next(100), "without a reply");
            }
            http.push(key, "{\"all\":3}", 0);
            assertTrue(listener.next(WAIT).contains("all"));
            assertTrue(endpoint.next(WAIT).contains("all"));
            assertTrue(tcp.nextJson(WAIT).contains("all"));
        }
    }

    @Test
    void socketsOverTheCapAreClosedAsTheyAreAcceptedAndTheRestKeepServing() throws Exception {
        long refusedBefore = connectionStat("refused");
        List<Socket> sockets = new ArrayList<>();
        int closedAtOnce = 0;
        try {
            for (int i = 0; i < CAP + 30; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), WS_PORT);
                sockets.add(socket);
            }
            // well within the 5 s the listener gives a socket to upgrade: only the sockets over the cap are closed
            Await.until(Duration.ofSeconds(3), () -> connectionStat("refused") - refusedBefore >= 30,
                    () -> "the listener refused " + (connectionStat("refused") - refusedBefore) + " of the excess");
            for (Socket socket : sockets) {
                if (endedWithin(socket, 2)) {
                    closedAtOnce++;
                }
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        int open = sockets.size() - closedAtOnce;
        assertTrue(closedAtOnce >= 30 && open <= CAP && open > CAP / 2, closedAtOnce + " closed at once");
        assertTrue(connectionStat("refused") - refusedBefore >= closedAtOnce);
        String key = unique("after-cap");
        WsClient ws = null;
        for (int attempt = 0; attempt < 20 && ws == null; attempt++) {
            try {
                ws = WsClient.connect(LISTENER, "key=" + key + "&heartbeat=30&ver=1");
            } catch (IllegalStateException e) {
                Thread.sleep(500);
            }
        }
        assertNotNull(ws, "no subscribe succeeded once the sockets were closed");
        try (WsClient subscriber = ws) {
            assertEquals("+h\r\n", subscriber.next(WAIT));
        }
    }

    /** Whether the server ended the socket's stream: it reads end-of-stream within the time. */
    private static boolean endedWithin(Socket socket, int millis) {
        try {
            socket.setSoTimeout(millis);
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void malformedHandshakesLeaveTheListenerServing() {
        long connectionsBefore = connectionStat("current");
        Set<Integer> answers = Set.of(0, 101, 400, 403, 404, 405, 426);
        List<byte[]> handshakes = malformedHandshakes();
        assertTrue(handshakes.size() >= 100, handshakes.size() + " handshakes");
        for (byte[] handshake : handshakes) {
            RawHttp.Reply reply = RawHttp.send(WS_PORT, handshake);
            assertTrue(answers.contains(reply.status()), reply.text());
            assertFalse(reply.text().contains("Exception"), reply.text());
        }

        String key = unique("after-junk");
        try (WsClient ws = subscribed("key=" + key + "&heartbeat=30&ver=1")) {
            http.push(key, "{\"ok\":1}", 0);
            assertEquals(1, parse(ws.next(WAIT)).getJsonObject("msg").getInt("ok"));
            assertEquals(connectionsBefore + 1, connectionStat("current"), "junk left no connection in the hub");
        }
        assertEquals(0, http.get("/1/time/get").ret());
    }

    /** Random bytes, mutated, truncated and oversized upgrades, and other requests. */
    private static List<byte[]> malformedHandshakes() {
        Random random = new Random(42);
        String valid = "GET /sub?key=junk&heartbeat=1 HTTP/1.1\r\nHost: " + LISTENER + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        byte[] validBytes = valid.getBytes(StandardCharsets.US_ASCII);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] garbage = new byte[1 + random.nextInt(400)];
            random.nextBytes(garbage);
            inputs.add(garbage);
        }
        for (int i = 0; i < 80; i++) {
            byte[] mutated = validBytes.clone();
            switch (i % 4) {
                case 0 -> mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                case 1 -> mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
                case 2 -> {
                    int at = random.nextInt(mutated.length);
                    mutated[at] = mutated[at] == '\r' ? (byte) '\n' : (byte) '\r';
                }
                default -> {
                    byte[] tail = new byte[1 + random.nextInt(50)];
                    random.nextBytes(tail);
                    mutated = concat(Arrays.copyOf(mutated, random.nextInt(mutated.length)), tail);
                }
            }
            inputs.add(mutated);
        }
        for (String text : List.of(
                valid.replace("\r\n\r\n", "\r\nCookie: " + "c".repeat(20_000) + "\r\n\r\n"),
                valid.replace("Upgrade: websocket\r\n", "X-" + "x".repeat(9_000) + ": y\r\n"),
                "GET /sub?key=a HTTP/1.1\r\n" + "X: y\r\n".repeat(5_000) + "\r\n",
                valid.replace("GET ", "POST "),
                valid.replace("/sub?", "/pub?"),
                valid.replace("/sub?", "/../../etc/passwd?"),
                valid.replace("HTTP/1.1", "HTTP/1.0"),
                valid.replace("HTTP/1.1", "HTTP/2.0"),
                valid.replace("Version: 13", "Version: 8"),
                valid.replace("Version: 13", "Version: 13, 8"),
                valid.replace("dGhlIHNhbXBsZSBub25jZQ==", "short"),
                valid.replace("websocket", "h2c"),
                valid.replace("\r\n", "\n"),
                valid.replace("Host:", " Host:"),
                valid.replace("key=junk", "key=%ZZ"),
                valid.replace("key=junk", "key=%00"),
                valid + valid,
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                "\r\n\r\n",
                "GET")) {
            inputs.add(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        inputs.add(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
        inputs.add(new byte[0]);
        return inputs;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private long connectionStat(String name) {
        return stats().getJsonObject("connections").getJsonNumber(name).longValue();
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
