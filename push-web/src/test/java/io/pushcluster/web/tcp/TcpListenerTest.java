package io.pushcluster.web.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.SubscribeGate;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.web.nio.SubscriberServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP listener's selector loop with the real engine parts, on real loopback sockets, without a server. */
class TcpListenerTest {

    private static final String SUB = "*4\r\n$3\r\nsub\r\n$5\r\nalice\r\n$2\r\n30\r\n$0\r\n\r\n";

    private final PushStats stats = new PushStats();
    private ConnectionHub hub;
    private final TcpFraming framing = new TcpFraming();
    private SubscriberServer server;
    private Thread thread;
    private int port;

    private void start(Map<String, String> values) throws IOException {
        port = freePort();
        Map<String, String> all = new HashMap<>(values);
        all.put(PushSettings.TCP_BIND, "127.0.0.1:" + port);
        PushSettings settings = new PushSettings(name -> Optional.ofNullable(all.get(name)));
        hub = new ConnectionHub(settings, stats);
        SubscribeGate gate = new SubscribeGate(settings, new Membership(settings), new Tokens(settings));
        TcpListener listener = new TcpListener();
        server = SubscriberServer.listen(listener.listenerSettings(settings).orElseThrow(),
                listener.sockets(settings, gate, hub, stats), stats);
        thread = new Thread(server, "tcp-server-test");
        thread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop();
            thread.join(5_000);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Socket socket, int bytes) throws IOException {
        return new String(socket.getInputStream().readNBytes(bytes), StandardCharsets.UTF_8);
    }

    /** Reads until the server closes, within the socket's timeout; false when it did not. */
    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        try {
            while (in.read(chunk) != -1) {
                // discard what was still on its way
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private void awaitConnections(int count) throws InterruptedException {
        for (int i = 0; i < 100 && hub.connections() != count; i++) {
            Thread.sleep(20);
        }
        assertEquals(count, hub.connections());
    }

    @Test
    void framesCountBytesNotCharacters() {
        assertArrayEquals("$2\r\n{}\r\n".getBytes(StandardCharsets.US_ASCII), framing.message("{}"));
        assertArrayEquals("$7\r\n\"é€\"\r\n".getBytes(StandardCharsets.UTF_8), framing.message("\"é€\""));
    }

    @Test
    void subscribesAndDeliversInTheFormTheVersionChooses() throws Exception {
        start(Map.of());
        try (Socket legacy = connect(); Socket versioned = connect()) {
            send(legacy, SUB);
            send(versioned, "*5\r\n$3\r\nsub\r\n$5\r\nalice\r\n$2\r\n30\r\n$0\r\n\r\n$1\r\n1\r\n");
            assertEquals("+h\r\n", read(legacy, 4));
            assertEquals("+h\r\n", read(versioned, 4));
            assertEquals(2, hub.connectionsOf("alice"));

            hub.deliver("alice", new PushedMessage(7, PushedMessage.PRIVATE, "{\"t\":\"é\"}"));
            String legacyJson = "{\"msg\":\"{\\\"t\\\":\\\"é\\\"}\",\"mid\":7,\"gid\":0}";
            String versionedJson = "{\"msg\":{\"t\":\"é\"},\"mid\":7,\"gid\":0}";
            String legacyFrame = new String(framing.message(legacyJson), StandardCharsets.UTF_8);
            String versionedFrame = new String(framing.message(versionedJson), StandardCharsets.UTF_8);
            assertEquals(legacyFrame, read(legacy, framing.message(legacyJson).length));
            assertEquals(versionedFrame, read(versioned, framing.message(versionedJson).length));

            send(versioned, "hh");
            assertEquals("+h\r\n+h\r\n", read(versioned, 8));
            send(versioned, "x");
            assertTrue(closedByServer(versioned));
            awaitConnections(1);
        }
    }

    @Test
    void heartbeatsInTheCommandsPacketAreAnswered() throws Exception {
        start(Map.of());
        try (Socket socket = connect()) {
            send(socket, SUB + "h");
            assertEquals("+h\r\n+h\r\n", read(socket, 8));
        }
    }

    @Test
    void stoppingClosesEverySocketAndReleasesThePort() throws Exception {
        start(Map.of());
        try (Socket subscribed = connect(); Socket silent = connect()) {
            send(subscribed, SUB);
            assertEquals("+h\r\n", read(subscribed, 4));
            server.stop();
            thread.join(5_000);
            assertFalse(thread.isAlive());
            assertTrue(closedByServer(subscribed));
            assertTrue(closedByServer(silent));
            assertEquals(0, hub.connections());
            assertEquals(0, server.openConnections());
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, again.getLocalPort());
            }
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsClosedWhenItsQueueIsFull() throws Exception {
        start(Map.of(PushSettings.SEND_QUEUE, "3"));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            slow.setSoTimeout(5_000);
            send(slow, SUB);
            awaitConnections(1);
            String big = "\"" + "x".repeat(100_000) + "\"";
            for (int i = 0; i < 1_000 && hub.connections() == 1; i++) {
                hub.deliver("alice", new PushedMessage(i + 1, PushedMessage.PRIVATE, big));
            }
            assertEquals(0, hub.connections());
            assertEquals(1L, stats.connectionCounters().get("slowDisconnects"));
            assertTrue(closedByServer(slow));
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAtOnce() throws Exception {
        start(Map.of(PushSettings.TCP_MAX_CONNECTIONS, "2"));
        try (Socket first = connect(); Socket second = connect(); Socket third = connect()) {
            assertTrue(closedByServer(third));
            send(first, SUB);
            send(second, SUB);
            assertEquals("+h\r\n", read(first, 4));
            assertEquals("+h\r\n", read(second, 4));
        }
        assertEquals(0, awaitNoneOpen());
        try (Socket later = connect()) {
            send(later, SUB);
            assertEquals("+h\r\n", read(later, 4));
        }
    }

    @Test
    void malformedCommandsCloseWithoutAReplyAndWrongCountsGetMinusP() throws Exception {
        start(Map.of());
        try (Socket garbage = connect(); Socket sixArguments = connect(); Socket unknown = connect()) {
            send(garbage, "GET / HTTP/1.1\r\n\r\n");
            send(sixArguments, "*6\r\n");
            send(unknown, "*3\r\n$3\r\npub\r\n$1\r\nk\r\n$2\r\n30\r\n");
            ByteArrayOutputStream nothing = new ByteArrayOutputStream();
            garbage.getInputStream().transferTo(nothing);
            assertEquals(0, nothing.size());
            assertEquals("-p\r\n", read(sixArguments, 4));
            assertTrue(closedByServer(sixArguments));
            assertEquals("-p\r\n", read(unknown, 4));
            assertTrue(closedByServer(unknown));
        }
        assertEquals(0, awaitNoneOpen());
    }

    private int awaitNoneOpen() throws InterruptedException {
        for (int i = 0; i < 100 && server.openConnections() > 0; i++) {
            Thread.sleep(20);
        }
        return server.openConnections();
    }
}
