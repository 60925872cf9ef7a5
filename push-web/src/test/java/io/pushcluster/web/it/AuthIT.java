package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscriber tokens (PROTOCOL.md A.4 {@code -c}/{@code -a}, B.3 token endpoints) and the admin
 * credential, with authentication on.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthIT {

    private static final String CREDENTIAL = "s3cret-admin";
    private static final long WAIT = 10_000;
    private static final int TCP_PORT = Deployments.freePort();
    private static final String WEBSOCKET_LISTENER = "127.0.0.1:" + Deployments.freePort();
    private static final int HTTP_LISTENER_PORT = Deployments.freePort();
    private static final int HTTP_LISTENER_CAP = 5;
    private static final List<String> ADMIN_POSTS = List.of("/1/admin/push/private?key=a&expire=0",
            "/admin/push?key=a&expire=0", "/1/admin/push/mprivate?expire=0", "/1/admin/msg/del", "/admin/msg/clean",
            "/1/admin/token/add?key=a&token=t", "/1/admin/token/del?key=a&token=t");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of(
                "push.auth", "true",
                "push.admin.credential", CREDENTIAL,
                "push.limit.tokens-per-key", "2",
                "push.tcp.bind", "127.0.0.1:" + TCP_PORT,
                "push.websocket.bind", WEBSOCKET_LISTENER,
                "push.http.bind", "127.0.0.1:" + HTTP_LISTENER_PORT,
                "push.limit.http-connections", Integer.toString(HTTP_LISTENER_CAP),
                "push.http.idle-timeout", "1"));
    }

    @ArquillianResource
    URL base;

    private Http admin;
    private Http anonymous;

    @BeforeEach
    void clients() {
        admin = new Http(base).withCredential(CREDENTIAL);
        anonymous = new Http(base);
    }

    @Test
    void adminEndpointsRequireTheConfiguredCredential() {
        for (String path : ADMIN_POSTS) {
            Http.Reply missing = anonymous.post(path, "{}");
            assertEquals(401, missing.status(), path);
            assertTrue(missing.contentType().startsWith("text/plain"), path);
            assertEquals(401, new Http(base).withCredential("wrong").post(path, "{}").status(), path);
            assertEquals(401, new Http(base).withCredential(CREDENTIAL + "x").post(path, "{}").status(), path);
        }
        assertEquals(401, anonymous.get("/1/admin/stats").status());
        assertEquals(401, anonymous.get("/1/admin/presence?k=a").status());
        assertEquals(0, admin.get("/1/admin/presence?k=a").ret());

        assertEquals(0, admin.post("/1/admin/push/private?key=a&expire=0", "{}").ret());
        assertEquals(200, admin.get("/1/admin/stats").status());
        assertEquals("true", admin.get("/1/admin/stats").json().getJsonObject("data").getJsonObject("config")
                .getString("push.auth"));
        assertTrue(admin.get("/1/admin/stats").body().contains("(set)"), "the credential itself is never shown");
        assertTrue(!admin.get("/1/admin/stats").body().contains(CREDENTIAL));
    }

    /** A browser asked for the dashboard logs in with Basic authentication, the credential as its password. */
    @Test
    void theDashboardAsksABrowserForTheCredentialAndTakesItAsBasicAuthentication() {
        Http.Reply refused = anonymous.get("/dashboard");
        assertEquals(401, refused.status());
        assertEquals("Basic realm=\"push admin\"", refused.header("WWW-Authenticate"));
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("operator:" + CREDENTIAL)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Http.Reply page = anonymous.get("/dashboard", "Authorization", basic);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<title>Push server dashboard</title>"));
        assertEquals(200, anonymous.get("/1/admin/stats", "Authorization", basic).status(),
                "the page's own requests carry the same credential");
        String wrong = "Basic " + java.util.Base64.getEncoder().encodeToString("operator:wrong"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(401, anonymous.get("/dashboard", "Authorization", wrong).status());
    }

    @Test
    void theHttpListenerGuardsTheSameAdminEndpointsTheSameWay() {
        Http listenerAdmin = new Http(HTTP_LISTENER_PORT).withCredential(CREDENTIAL);
        Http listenerAnonymous = new Http(HTTP_LISTENER_PORT);
        Http listenerWrong = new Http(HTTP_LISTENER_PORT).withCredential("wrong");
        for (String path : ADMIN_POSTS) {
            Http.Reply missing = listenerAnonymous.post(path, "{}");
            assertEquals(401, missing.status(), path);
            assertEquals("Bearer", missing.header("WWW-Authenticate"), path);
            assertTrue(missing.contentType().startsWith("text/plain"), path);
            assertEquals(401, listenerWrong.post(path, "{}").status(), path);
        }
        assertEquals(0, listenerAdmin.post("/1/admin/push/private?key=a&expire=0", "{}").ret());
        assertEquals(401, listenerAnonymous.get("/1/admin/presence?k=a").status(), "an admin GET too");
        assertEquals(0, listenerAdmin.get("/1/admin/presence?k=a").ret());
        assertEquals(0, listenerAnonymous.get("/1/time/get").ret(), "public endpoints need no credential");
        assertEquals(0, listenerAnonymous.get("/1/msg/get?k=a&m=0").ret());
    }

    @Test
    void theHttpListenerHoldsAtMostItsCapAndKeepsServingThose() throws Exception {
        byte[] request = "GET /1/time/get HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Socket> held = new ArrayList<>();
        try {
            // other tests' clients may still hold connections until the 1 s idle timeout closes them
            Await.until(Duration.ofSeconds(10), () -> holdsAnsweredConnections(held, HTTP_LISTENER_CAP, request),
                    () -> "the listener did not answer " + HTTP_LISTENER_CAP + " connections at once");
            try (Socket excess = new Socket("127.0.0.1", HTTP_LISTENER_PORT)) {
                excess.setSoTimeout(5_000);
                excess.getOutputStream().write(request);
                assertTrue(closedUnanswered(excess), "the connection over the cap is closed unanswered");
            }
            Socket first = held.get(0);
            first.getOutputStream().write(request);
            assertTrue(reply(first).contains("timeid"), "the connections held keep being answered");
            assertEquals(0, admin.get("/1/time/get").ret(), "Payara's port is not affected");
            held.remove(0).close();
            List<Socket> again = new ArrayList<>();
            try {
                Await.until(Duration.ofSeconds(5), () -> holdsAnsweredConnections(again, 1, request),
                        () -> "a place freed was not taken again");
            } finally {
                for (Socket socket : again) {
                    socket.close();
                }
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * Opens {@code count} connections to the HTTP listener and has each answered once; true when all
     * were, else closes them (leaving {@code into} empty) and answers false.
     */
    private static boolean holdsAnsweredConnections(List<Socket> into, int count, byte[] request) {
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket("127.0.0.1", HTTP_LISTENER_PORT);
                into.add(socket);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(request);
                if (!reply(socket).contains("timeid")) {
                    throw new IOException("connection " + i + " closed unanswered");
                }
            }
            return true;
        } catch (IOException e) {
            for (Socket socket : into) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing what the server may have closed already
                }
            }
            into.clear();
            return false;
        }
    }

    /** Whether the server closed the socket without a byte: the end of the stream, or a reset since our request went unread. */
    private static boolean closedUnanswered(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    /** One reply to a GET, read until its body is in. */
    private static String reply(Socket socket) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] chunk = new byte[1024];
        while (!text.toString().endsWith("}")) {
            int read = socket.getInputStream().read(chunk);
            if (read < 0) {
                break;
            }
            text.append(new String(chunk, 0, read, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    @Test
    void publicEndpointsNeedNoCredential() {
        assertEquals(0, anonymous.get("/1/time/get").ret());
        assertEquals(0, anonymous.get("/1/server/get?k=a&p=1").ret());
        assertEquals(0, anonymous.get("/1/msg/get?k=a&m=0").ret());
    }

    @Test
    void subscribersNeedARegisteredToken() {
        subscribersNeedARegisteredToken(admin.hostPort());
    }

    @Test
    void webSocketListenerSubscribersNeedARegisteredTokenToo() {
        subscribersNeedARegisteredToken(WEBSOCKET_LISTENER);
    }

    /** @param address the HTTP port's {@code /sub} or the WebSocket listener */
    private void subscribersNeedARegisteredToken(String address) {
        String key = "user-" + System.nanoTime();
        try (WsClient ws = WsClient.connect(address, "key=" + key + "&heartbeat=30&token=anything")) {
            assertEquals("-c\r\n", ws.next(WAIT), "no tokens registered");
            assertTrue(ws.closedWithin(WAIT));
        }

        assertEquals(0, admin.post("/1/admin/token/add?key=" + key + "&token=good", "").ret());
        try (WsClient ws = WsClient.connect(address, "key=" + key + "&heartbeat=30&token=bad")) {
            assertEquals("-a\r\n", ws.next(WAIT));
            assertTrue(ws.closedWithin(WAIT));
        }
        try (WsClient ws = WsClient.connect(address, "key=" + key + "&heartbeat=30")) {
            assertEquals("-a\r\n", ws.next(WAIT), "a missing token is not a valid one");
        }
        try (WsClient ws = WsClient.connect(address, "key=" + key + "&heartbeat=30&token=good&ver=1")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            admin.push(key, "{\"secret\":1}", 0);
            assertTrue(ws.next(WAIT).contains("secret"));
        }

        assertEquals(0, admin.postForm("/1/admin/token/del", Map.of("key", key, "token", "good")).ret());
        try (WsClient ws = WsClient.connect(address, "key=" + key + "&heartbeat=30&token=good")) {
            assertEquals("-c\r\n", ws.next(WAIT), "the only token was removed");
        }
    }

    @Test
    void tcpSubscribersNeedARegisteredTokenToo() {
        String key = "tcp-user-" + System.nanoTime();
        try (TcpClient client = new TcpClient(TCP_PORT).subscribe("sub", key, "30", "anything")) {
            assertEquals("-c\r\n", client.restUntilClosed(WAIT), "no tokens registered");
        }
        assertEquals(0, admin.post("/1/admin/token/add?key=" + key + "&token=good", "").ret());
        try (TcpClient client = new TcpClient(TCP_PORT).subscribe("sub", key, "30", "bad")) {
            assertEquals("-a\r\n", client.restUntilClosed(WAIT));
        }
        try (TcpClient client = new TcpClient(TCP_PORT).subscribe("sub", key, "30")) {
            assertEquals("-a\r\n", client.restUntilClosed(WAIT), "a missing token is not a valid one");
        }
        try (TcpClient client = new TcpClient(TCP_PORT).subscribe("sub", key, "30", "good", "1")) {
            assertEquals("+h\r\n", client.nextReply(WAIT));
            admin.push(key, "{\"secret\":1}", 0);
            assertTrue(client.nextJson(WAIT).contains("secret"));
        }
    }

    @Test
    void tokensExpire() {
        String key = "expiring-" + System.nanoTime();
        assertEquals(0, admin.postForm("/1/admin/token/add", Map.of("key", key, "token", "t", "expire", "1")).ret());
        try (WsClient ws = WsClient.connect(admin, "key=" + key + "&heartbeat=30&token=t")) {
            assertEquals("+h\r\n", ws.next(WAIT));
        }
        Await.until(java.time.Duration.ofSeconds(10), () -> {
            try (WsClient ws = WsClient.connect(admin, "key=" + key + "&heartbeat=30&token=t")) {
                return "-c\r\n".equals(ws.next(WAIT));
            }
        }, () -> "the token given expire=1 still admits");
    }

    @Test
    void tokenRequestsAreValidatedAndLimited() {
        String key = "limits-" + System.nanoTime();
        assertEquals(65534, admin.post("/1/admin/token/add?key=" + key, "").ret());
        assertEquals(65534, admin.post("/1/admin/token/add?token=t", "").ret());
        assertEquals(65534, admin.post("/1/admin/token/add?key=" + key + "&token=t&expire=soon", "").ret());
        assertEquals(65534, admin.post("/1/admin/token/add?key=" + key + "&token=" + "t".repeat(300), "").ret());
        assertEquals(65534, admin.post("/1/admin/token/del?key=" + key, "").ret());
        assertEquals(0, admin.post("/1/admin/token/add?key=" + key + "&token=one", "").ret());
        assertEquals(0, admin.post("/1/admin/token/add?key=" + key + "&token=two", "").ret());
        assertEquals(0, admin.post("/1/admin/token/add?key=" + key + "&token=two", "").ret(), "renewing is not adding");
        assertEquals(65534, admin.post("/1/admin/token/add?key=" + key + "&token=three", "").ret(), "over the limit");
        assertEquals(0, admin.post("/1/admin/token/del?key=" + key + "&token=unknown", "").ret());
    }
}
