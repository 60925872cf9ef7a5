package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The address rules end to end on every listener of our own and on Payara's port, with clients on
 * several loopback source addresses: the allow and deny lists, entries denied at run time, the
 * connections per address, and a trusted proxy's forwarded addresses (also for the admin guard).
 */
class ClientAddressesIT {

    private static final String PROXY = "127.0.0.5";
    private static final String UNTRUSTED = "127.0.0.6";

    @RegisterExtension
    static final MicroCluster NODE = MicroCluster.of(1).withDefaultListeners()
            .with("push.ip.allow", "127.0.0.0/28,192.0.2.0/24,::1")
            .with("push.ip.deny", "127.0.0.9")
            .with("push.proxies", PROXY)
            .with("push.limit.connections-per-ip", "3");

    private static int payara() {
        return NODE.member("m1").httpPort();
    }

    private static int webSocket() {
        return payara() + 1000;
    }

    private static int http() {
        return payara() + 2000;
    }

    private static int tcp() {
        return payara() + 3000;
    }

    private static String upgrade(String key, String extraHeader) {
        return "GET /sub?key=" + key + "&heartbeat=30&ver=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + extraHeader + "\r\n";
    }

    private static String get(String path, String extraHeader) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeader + "\r\n";
    }

    private static String post(String path, String extraHeader) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n"
                + extraHeader + "\r\n";
    }

    private static byte[] tcpSubscribe(String key) {
        return TcpClient.command("sub", key, "30", "1");
    }

    /** A connection kept open from a source address: what the server answered to its first bytes. */
    private static final class Held implements AutoCloseable {
        final Socket socket;
        final String answer;

        Held(String source, int port, byte[] request, String until) {
            try {
                socket = new Socket();
                socket.bind(new InetSocketAddress(source, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                answer = readUntil(socket.getInputStream(), until);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Held(String source, int port, String request, String until) {
            this(source, port, request.getBytes(StandardCharsets.ISO_8859_1), until);
        }

        private static String readUntil(InputStream in, String until) throws IOException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                int b;
                while (got.size() < 4096 && (b = in.read()) != -1) {
                    got.write(b);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains(until)) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | SocketException e) {
                // judged by what arrived
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all that is asked
            }
        }
    }

    private static long counter(String name) {
        return NODE.member("m1").http().get("/1/admin/stats").json().getJsonObject("data")
                .getJsonObject("connections").getJsonNumber(name).longValue();
    }

    /** Everything a client from the source gets from each listener and Payara's port. */
    private static void assertRefusedEverywhere(String source) {
        assertEquals("", RawHttp.sendFrom(source, webSocket(), upgrade("r", "")).text(),
                "the WebSocket listener closes it unread: " + source);
        assertEquals("", RawHttp.sendFrom(source, http(), get("/1/time/get", "")).text(), "HTTP listener: " + source);
        assertEquals("", RawHttp.sendFrom(source, tcp(), tcpSubscribe("r")).text(), "TCP listener: " + source);
        assertEquals(403, RawHttp.sendFrom(source, payara(), get("/1/time/get", "")).status(), "Payara: " + source);
        assertEquals(403, RawHttp.sendFrom(source, payara(), upgrade("r", "")).status(), "/sub: " + source);
    }

    private static void assertServedEverywhere(String source) {
        try (Held ws = new Held(source, webSocket(), upgrade("ok-" + source, ""), "+h");
                Held sub = new Held(source, payara(), upgrade("ok2-" + source, ""), "+h");
                Held tcp = new Held(source, tcp(), tcpSubscribe("ok3-" + source), "+h")) {
            assertTrue(ws.answer.startsWith("HTTP/1.1 101"), ws.answer);
            assertTrue(sub.answer.startsWith("HTTP/1.1 101"), sub.answer);
            assertEquals("+h", tcp.answer);
        }
        assertEquals(200, RawHttp.sendFrom(source, http(), get("/1/time/get", "")).status());
        assertEquals(200, RawHttp.sendFrom(source, payara(), get("/1/time/get", "")).status());
    }

    @Test
    void theAllowAndDenyListsRefuseOnEveryListenerAndOnPayarasPort() {
        long before = counter("refusedByIpList");
        assertRefusedEverywhere("127.0.0.9");
        assertRefusedEverywhere("127.0.0.20");
        assertServedEverywhere("127.0.0.2");
        assertTrue(counter("refusedByIpList") - before >= 10, "each refusal is counted");
    }

    @Test
    void aBlockDeniedAtRunTimeIsRefusedUntilAllowedAgain() {
        assertEquals(0, NODE.member("m1").http().post("/1/admin/ip/deny?cidr=127.0.0.7/32&seconds=600", "").ret());
        assertTrue(NODE.member("m1").http().get("/1/admin/ip/denied").body().contains("\"cidr\":\"127.0.0.7/32\""));
        assertRefusedEverywhere("127.0.0.7");
        assertEquals(0, NODE.member("m1").http().post("/1/admin/ip/allow?cidr=127.0.0.7/32", "").ret());
        assertServedEverywhere("127.0.0.7");
        assertEquals(65534, NODE.member("m1").http().post("/1/admin/ip/deny?cidr=127.0.0.300", "").ret());
        assertEquals(65534, NODE.member("m1").http().post("/1/admin/ip/deny?cidr=localhost", "").ret());
    }

    @Test
    void anAddressHoldsAtMostItsConnectionsOverEveryTransportTogether() {
        String source = "127.0.0.3";
        long before = counter("refusedPerIp");
        List<Held> held = new ArrayList<>();
        try {
            held.add(new Held(source, webSocket(), upgrade("p1", ""), "+h"));
            held.add(new Held(source, tcp(), tcpSubscribe("p2"), "+h"));
            held.add(new Held(source, payara(), upgrade("p3", ""), "+h"));
            assertTrue(held.get(0).answer.contains("+h") && held.get(2).answer.contains("+h"), held.get(2).answer);
            assertEquals("+h", held.get(1).answer);
            try (Held ws = new Held(source, webSocket(), upgrade("p4", ""), "+h");
                    Held tcp = new Held(source, tcp(), tcpSubscribe("p5"), "+h");
                    Held sub = new Held(source, payara(), upgrade("p6", ""), "\r\n\r\n")) {
                assertEquals("", ws.answer, "the fourth is closed as it is accepted");
                assertEquals("", tcp.answer);
                assertTrue(sub.answer.startsWith("HTTP/1.1 403"), sub.answer);
            }
            try (Held other = new Held("127.0.0.4", webSocket(), upgrade("p7", ""), "+h")) {
                assertTrue(other.answer.contains("+h"), "another address has its own count");
            }
            held.remove(0).close();
            Await.until(Duration.ofSeconds(10), () -> {
                Held attempt = new Held(source, webSocket(), upgrade("p8", ""), "+h");
                held.add(attempt);
                return attempt.answer.contains("+h");
            }, () -> "a closed connection gives its place back");
        } finally {
            held.forEach(Held::close);
        }
        assertTrue(counter("refusedPerIp") - before >= 3, "each refusal is counted");
    }

    @Test
    void onlyATrustedProxysForwardedAddressIsBelievedAndItDecidesTheAdminRuleToo() {
        String deniedClient = "X-Forwarded-For: 127.0.0.9\r\n";
        assertTrue(new Held(PROXY, webSocket(), upgrade("x1", deniedClient), "\r\n\r\n").answer
                .startsWith("HTTP/1.1 403"), "the WebSocket listener judges the client the proxy names");
        assertEquals(403, RawHttp.sendFrom(PROXY, http(), get("/1/time/get", deniedClient)).status());
        assertEquals(403, RawHttp.sendFrom(PROXY, payara(), get("/1/time/get", deniedClient)).status());
        assertEquals(403, RawHttp.sendFrom(PROXY, payara(), get("/1/time/get", "Forwarded: for=127.0.0.9\r\n"))
                .status());
        assertEquals(200, RawHttp.sendFrom(UNTRUSTED, payara(), get("/1/time/get", deniedClient)).status(),
                "an untrusted peer's header is ignored");
        assertEquals(200, RawHttp.sendFrom(UNTRUSTED, http(), get("/1/time/get", deniedClient)).status());

        String remote = "X-Forwarded-For: 192.0.2.1\r\n";
        for (int port : new int[] {payara(), http()}) {
            assertEquals(403, RawHttp.sendFrom(PROXY, port, post("/1/admin/kick?key=x", remote)).status(),
                    "a remote client through the proxy is not loopback, port " + port);
            RawHttp.Reply direct = RawHttp.sendFrom(UNTRUSTED, port, post("/1/admin/kick?key=x", remote));
            assertEquals(200, direct.status(), "a loopback peer's own address decides, port " + port);
            assertEquals(200, RawHttp.sendFrom(PROXY, port, post("/1/admin/kick?key=x",
                    "X-Forwarded-For: 192.0.2.1, 127.0.0.1\r\n")).status(),
                    "the right-most hop the proxy reports is the client, port " + port);
        }

        List<Held> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new Held(PROXY, webSocket(), upgrade("f" + i, "X-Forwarded-For: 127.0.0.8\r\n"), "+h"));
                assertTrue(held.get(i).answer.contains("+h"), held.get(i).answer);
            }
            try (Held fourth = new Held(PROXY, webSocket(), upgrade("f4", "X-Forwarded-For: 127.0.0.8\r\n"),
                    "\r\n\r\n");
                    Held otherClient = new Held(PROXY, webSocket(), upgrade("f5", "X-Forwarded-For: 127.0.0.10\r\n"),
                            "+h")) {
                assertTrue(fourth.answer.startsWith("HTTP/1.1 403"), "counted per client behind the proxy: "
                        + fourth.answer);
                assertTrue(otherClient.answer.contains("+h"), "the proxy itself is not limited");
            }
        } finally {
            held.forEach(Held::close);
        }
    }
}
