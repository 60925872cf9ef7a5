package io.pushcluster.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS for the load client's non-blocking connections, with the JDK's
 * {@link SSLEngine}: it trusts the certificates of one PKCS#12 file (the server's own keystore, made
 * for the run). One instance serves one selector thread: its encrypted buffers are shared by that
 * thread's connections, and a {@link Link} keeps encrypted bytes of its own only while some are left
 * over (a partial record read, a record not written at once), as the server's {@code TlsWire} does.
 */
final class ClientTls {

    /** Encrypted bytes read at once; the plaintext they hold always fits a caller's 96 KB. */
    private static final int NET_READ_BYTES = 64 * 1024;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SSLContext context;
    private final ByteBuffer netIn = ByteBuffer.allocate(NET_READ_BYTES + 32 * 1024);
    private final ByteBuffer netOut = ByteBuffer.allocate(32 * 1024);

    private ClientTls(SSLContext context) {
        this.context = context;
    }

    /** A client trusting the certificates in {@code keystore} (PKCS#12); null when no keystore is given. */
    static ClientTls trusting(String keystore, String password) {
        if (keystore == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(Path.of(keystore))) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new ClientTls(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use --trust " + keystore + ": " + e.getMessage(), e);
        }
    }

    /** For clients of the JDK's own (java.net.http) that need the same trust. */
    SSLContext context() {
        return context;
    }

    /** A new connection's TLS state; call {@link Link#handshake} once the TCP connection is up. */
    Link link() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        return new Link(engine);
    }

    /** One connection's engine and left-over encrypted bytes. */
    final class Link {
        private final SSLEngine engine;
        private byte[] pendingIn;
        private ByteBuffer pendingOut;
        private boolean ready;

        private Link(SSLEngine engine) {
            this.engine = engine;
        }

        /** Whether the handshake is over, so that application data may go. */
        boolean ready() {
            return ready;
        }

        /** Whether encrypted bytes wait for the socket to take them ({@link #flush} when writable). */
        boolean wantsWrite() {
            return pendingOut != null;
        }

        /** Starts the handshake (sends the ClientHello). */
        void handshake(SocketChannel channel) throws IOException {
            engine.beginHandshake();
            advance(channel);
        }

        /**
         * Reads what the socket has, carries the handshake on, and decrypts application data into
         * {@code dst}, which must have 96 KB free.
         *
         * @return the plaintext bytes added to dst, or -1 when the server closed the connection
         */
        int read(SocketChannel channel, ByteBuffer dst) throws IOException {
            netIn.clear();
            if (pendingIn != null) {
                netIn.put(pendingIn);
                pendingIn = null;
            }
            netIn.limit(netIn.position() + NET_READ_BYTES);
            int n = channel.read(netIn);
            netIn.flip();
            int start = dst.position();
            boolean closed = false;
            while (!closed) {
                advance(channel);
                if (!netIn.hasRemaining()) {
                    break;
                }
                SSLEngineResult r = engine.unwrap(netIn, dst);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    closed = true;
                } else if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    throw new IOException("TLS record larger than the read buffer");
                } else if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) {
                    break;
                }
            }
            advance(channel);
            if (netIn.hasRemaining()) {
                pendingIn = Arrays.copyOfRange(netIn.array(), netIn.position(), netIn.limit());
            }
            int produced = dst.position() - start;
            return produced == 0 && (n < 0 || closed) ? -1 : produced;
        }

        /** Encrypts all of {@code src} and writes it, keeping what the socket does not take at once. */
        void write(SocketChannel channel, ByteBuffer src) throws IOException {
            if (!ready) {
                throw new IOException("TLS handshake not finished");
            }
            while (src.hasRemaining()) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(src, netOut);
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    throw new IOException("TLS wrap: " + r.getStatus());
                }
                netOut.flip();
                send(channel);
            }
        }

        /** Writes left-over encrypted bytes; true when none are left. */
        boolean flush(SocketChannel channel) throws IOException {
            if (pendingOut != null) {
                channel.write(pendingOut);
                if (!pendingOut.hasRemaining()) {
                    pendingOut = null;
                }
            }
            return pendingOut == null;
        }

        /** Runs the handshake's tasks and sends its messages until it waits for the server or is over. */
        private void advance(SocketChannel channel) throws IOException {
            while (true) {
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                } else if (status == HandshakeStatus.NEED_WRAP) {
                    netOut.clear();
                    SSLEngineResult r = engine.wrap(NOTHING, netOut);
                    netOut.flip();
                    send(channel);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        return; // the close_notify answered: nothing more goes out
                    }
                } else {
                    ready |= status == HandshakeStatus.NOT_HANDSHAKING;
                    return;
                }
            }
        }

        /** Writes netOut, or keeps it after what is already waiting. */
        private void send(SocketChannel channel) throws IOException {
            if (pendingOut == null) {
                channel.write(netOut);
                if (!netOut.hasRemaining()) {
                    return;
                }
                pendingOut = ByteBuffer.allocate(netOut.remaining());
            } else {
                ByteBuffer more = ByteBuffer.allocate(pendingOut.remaining() + netOut.remaining());
                more.put(pendingOut);
                pendingOut = more;
            }
            pendingOut.put(netOut).flip();
        }
    }
}
