package io.pushcluster.web.tcp;

import io.pushcluster.web.config.TransportSettings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.grid.SoloGrid;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.web.nio.RunningListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP listener's selector loop with the real engine parts, on real loopback sockets, without a server. */
class TcpListenerTest {

    private static final String SUB = "*4\r\n$3\r\nsub\r\n$5\r\nalice\r\n$2\r\n30\r\n$0\r\n\r\n";

    private final TcpFraming framing = new TcpFraming();
    private RunningListener listener;
    private ConnectionHub hub;

    private void start(Map<String, String> values) throws IOException {
        listener = new RunningListener(new TcpListener(), TransportSettings.TCP_BIND, values, new SoloGrid());
        hub = listener.hub();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (listener != null) {
            listener.stop();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Socket socket, int bytes) throws IOException {
        return new String(socket.getInputStream().readNBytes(bytes), StandardCharsets.UTF_8);
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        return RunningListener.closedByServer(socket.getInputStream());
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
            listener.awaitConnections(1);
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
            assertTrue(listener.stop());
            assertTrue(closedByServer(subscribed));
            assertTrue(closedByServer(silent));
            assertEquals(0, hub.connections());
            assertEquals(0, listener.server().openConnections());
            try (ServerSocket again = new ServerSocket(listener.port(), 1, InetAddress.getLoopbackAddress())) {
                assertEquals(listener.port(), again.getLocalPort());
            }
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsClosedWhenItsQueueIsFull() throws Exception {
        start(Map.of(PushSettings.SEND_QUEUE, "3"));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()));
            slow.setSoTimeout(5_000);
            send(slow, SUB);
            listener.awaitConnections(1);
            listener.pushUntilDisconnected("alice");
            assertEquals(1L, listener.stats().connectionCounters().get("slowDisconnects"));
            assertTrue(closedByServer(slow));
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAtOnce() throws Exception {
        start(Map.of(TransportSettings.TCP_MAX_CONNECTIONS, "2"));
        try (Socket first = connect(); Socket second = connect(); Socket third = connect()) {
            assertTrue(closedByServer(third));
            send(first, SUB);
            send(second, SUB);
            assertEquals("+h\r\n", read(first, 4));
            assertEquals("+h\r\n", read(second, 4));
        }
        assertEquals(0, listener.awaitNoneOpen());
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
        assertEquals(0, listener.awaitNoneOpen());
    }
}
