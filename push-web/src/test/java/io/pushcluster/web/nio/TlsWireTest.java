package io.pushcluster.web.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.web.TestCertificate;
import io.pushcluster.web.config.TlsSettings;
import io.pushcluster.web.config.TransportSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsWire} on a real loopback socket, with the client's side of TLS driven step by step by the
 * test, so that the server's output can be made to wait for the socket at a chosen moment.
 */
class TlsWireTest {

    private static final byte[] GREETING = "GET /sub?key=k HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /**
     * The client's Finished and its first bytes arrive together, while the socket is full, so the
     * server's post-handshake message waits: once it has gone, the wire must say the client's bytes
     * wait to be read, since the socket will not signal them again.
     */
    @Test
    void clientBytesReadWhileTheHandshakeWaitedAreDeliveredOnceItsOutputWent() throws Exception {
        Path keystore = TestCertificate.make(dir.resolve("server.p12"), "localhost");
        TlsSettings settings = new TransportSettings(name -> Optional.ofNullable(Map.of(TlsSettings.KEYSTORE,
                keystore.toString(), TlsSettings.PASSWORD, TestCertificate.PASSWORD).get(name))).tls();
        TlsContext serverTls = TlsContext.of(settings, TlsSettings.TCP).orElseThrow();
        try (ServerSocketChannel listener = ServerSocketChannel.open();
                SocketChannel clientSocket = SocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            // a client that names its peer can resume sessions, so the server sends it a session ticket
            // after the handshake: the message that is made to wait here
            SSLEngine client = TestCertificate.trusting(keystore).createSSLEngine("127.0.0.1",
                    ((InetSocketAddress) listener.getLocalAddress()).getPort());
            client.setUseClientMode(true);
            clientSocket.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            clientSocket.connect(listener.getLocalAddress());
            SocketChannel serverSocket = listener.accept();
            serverSocket.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
            serverSocket.configureBlocking(false);
            TlsWire wire = new TlsWire(serverSocket, serverTls.newEngine());
            ByteBuffer plain = ByteBuffer.allocate(64 * 1024);

            client.beginHandshake();
            ByteBuffer clientHello = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
            wrap(client, ByteBuffer.allocate(0), clientHello);
            writeAll(clientSocket, clientHello.flip());
            clientSocket.configureBlocking(false);
            // the client's answer (Finished) and its first bytes are held back, then sent together
            ByteBuffer held = handshakeHoldingOutput(client, clientSocket, wire, plain);
            wrap(client, ByteBuffer.wrap(GREETING), held);

            long filled = fill(serverSocket); // no room left for what the server sends next
            writeAll(clientSocket, held.flip());
            int read = readSome(wire, plain);
            assertEquals(0, read, "nothing handed over while the server's handshake output waits");
            assertTrue(wire.pending(), "the post-handshake message waits for the socket");
            assertFalse(wire.buffered(), "while it waits, the socket will signal writability first");

            drain(clientSocket, filled);
            untilTrue(wire::flush);
            assertTrue(wire.buffered(), "the client's bytes read earlier wait to be handed over");
            plain.clear();
            assertEquals(GREETING.length, wire.read(plain));
            assertEquals(new String(GREETING, StandardCharsets.US_ASCII),
                    new String(plain.array(), 0, GREETING.length, StandardCharsets.US_ASCII));
            assertFalse(wire.buffered());
        }
    }

    /** Reads until the server's post-handshake message waits for the socket; the plaintext handed over meanwhile. */
    private static int readSome(TlsWire wire, ByteBuffer plain) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int read = 0;
        while (!wire.pending() && System.nanoTime() < deadline) {
            read += Math.max(0, wire.read(plain.clear()));
            Thread.onSpinWait();
        }
        return read;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void untilTrue(Check check) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!check.holds()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(1);
        }
    }

    /**
     * Carries the client's handshake on, the server's wire reading as it goes, until the client is done;
     * what the client sends on the way is kept in the buffer returned, not sent.
     */
    private static ByteBuffer handshakeHoldingOutput(SSLEngine client, SocketChannel socket, TlsWire wire,
            ByteBuffer plain) throws Exception {
        ByteBuffer held = ByteBuffer.allocate(64 * 1024);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        ByteBuffer ignored = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (client.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
            assertTrue(System.nanoTime() < deadline, "handshake not done within 10 s");
            assertEquals(0, Math.max(0, wire.read(plain.clear())), "no application data during the handshake");
            if (client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrap(client, ByteBuffer.allocate(0), held);
                continue;
            }
            if (socket.read(in) < 0) {
                throw new IOException("closed during the handshake");
            }
            in.flip();
            while (in.hasRemaining() && client.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                SSLEngineResult result = client.unwrap(in, ignored);
                runTasks(client);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
            }
            in.compact();
        }
        return held;
    }

    /** Wraps {@code data} (nothing: a handshake message) into {@code out}, for as long as the engine has output. */
    private static void wrap(SSLEngine client, ByteBuffer data, ByteBuffer out) throws IOException {
        do {
            SSLEngineResult result = client.wrap(data, out);
            runTasks(client);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new IOException("client wrap: " + result);
            }
        } while (data.hasRemaining() || client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP);
    }

    private static void writeAll(SocketChannel socket, ByteBuffer bytes) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (bytes.hasRemaining()) {
            assertTrue(System.nanoTime() < deadline, "not written within 10 s");
            socket.write(bytes);
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    /**
     * Writes raw bytes on the server's socket until it has taken nothing for 300 ms (the kernel moves
     * bytes on to the client's buffer for a while after the first refusal); how many it took.
     */
    private static long fill(SocketChannel server) throws Exception {
        ByteBuffer junk = ByteBuffer.allocate(1024);
        long total = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (long quietSince = System.nanoTime(); System.nanoTime() - quietSince < 300_000_000L; ) {
            assertTrue(System.nanoTime() < deadline, "the socket kept taking bytes for 10 s");
            junk.clear();
            int n = server.write(junk);
            total += n;
            if (n > 0) {
                quietSince = System.nanoTime();
            } else {
                Thread.sleep(1);
            }
        }
        return total;
    }

    /** Reads and drops {@code count} raw bytes on the client's socket. */
    private static void drain(SocketChannel client, long count) throws IOException {
        client.configureBlocking(true);
        ByteBuffer sink = ByteBuffer.allocate(8192);
        for (long left = count; left > 0; ) {
            sink.clear().limit((int) Math.min(sink.capacity(), left));
            int n = client.read(sink);
            if (n < 0) {
                throw new IOException("closed");
            }
            left -= n;
        }
    }
}
