package io.pushcluster.web.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a socket, with the JDK's {@link SSLEngine}. Encrypted bytes read but not yet decrypted, and
 * encrypted bytes not yet sent, are held in buffers that exist only while they hold something, so an
 * idle connection holds the engine alone. A plaintext write is taken only when nothing encrypted waits
 * before it, so the session's queue, not this, holds what a slow reader has not taken.
 */
final class TlsWire implements Wire {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /** More than a TLS record adds to its plaintext (header, padding, tag, MAC). */
    private static final int RECORD_OVERHEAD = 512;

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Encrypted bytes read and not yet decrypted, in write mode; null when none. Selector thread only. */
    private ByteBuffer netIn;
    /** Encrypted bytes to send, in read mode; null when none. Guarded by this. */
    private ByteBuffer netOut;
    /** The last decryption stopped because the reader's buffer was full. */
    private boolean more;
    /** The last decryption stopped with bytes left because the handshake's output waited for the socket. */
    private boolean stalled;

    TlsWire(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        int start = into.position();
        boolean ended = false;
        if (!more) {
            if (netIn == null) {
                netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            } else if (!netIn.hasRemaining()) {
                netIn = grow(netIn, engine.getSession().getPacketBufferSize());
            }
            ended = channel.read(netIn) < 0;
        }
        boolean closed = unwrap(into);
        if (netIn.position() == 0) {
            netIn = null;
        }
        int read = into.position() - start;
        return read == 0 && (ended || closed) ? -1 : read;
    }

    /** Decrypts what {@link #netIn} holds into {@code into}, answering the handshake; true once the peer closed TLS. */
    private boolean unwrap(ByteBuffer into) throws IOException {
        more = false;
        stalled = false;
        netIn.flip();
        try {
            while (true) {
                if (!handshake()) {
                    stalled = netIn.hasRemaining();
                    return false;
                }
                if (!netIn.hasRemaining()) {
                    return false;
                }
                SSLEngineResult result = engine.unwrap(netIn, into);
                switch (result.getStatus()) {
                    case OK:
                        if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                                && result.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                                && result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                            return false;
                        }
                        break;
                    case BUFFER_OVERFLOW:
                        more = true;
                        return false;
                    case BUFFER_UNDERFLOW:
                        return false;
                    case CLOSED:
                        return true;
                    default:
                        throw new SSLException("unexpected " + result);
                }
            }
        } finally {
            netIn.compact();
        }
    }

    /** Runs the handshake's tasks and sends its messages; false when its output waits for the socket. */
    private boolean handshake() throws IOException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                synchronized (this) {
                    wrap(NOTHING);
                    if (!flushNow()) {
                        return false;
                    }
                }
            } else {
                return true;
            }
        }
    }

    /** Also after a stalled handshake sent what waited: the client's next bytes may be here already. */
    @Override
    public boolean buffered() {
        return more || stalled && !pending();
    }

    @Override
    public synchronized void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining() && flushNow()) {
            if (wrap(bytes).bytesConsumed() == 0) {
                flushNow();
                return;
            }
        }
        flushNow();
    }

    /** Encrypts one record from {@code bytes} into {@link #netOut}, which is empty: callers flush first. */
    private SSLEngineResult wrap(ByteBuffer bytes) throws IOException {
        int size = engine.getSession().getPacketBufferSize();
        // a small frame gets a small buffer: a record is its plaintext plus at most a few hundred bytes
        ByteBuffer out = ByteBuffer.allocate(Math.min(size, bytes.remaining() + RECORD_OVERHEAD));
        SSLEngineResult result = engine.wrap(bytes, out);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            out = ByteBuffer.allocate(size);
            result = engine.wrap(bytes, out);
        }
        out.flip();
        netOut = out.hasRemaining() ? out : null;
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && result.bytesProduced() == 0
                && bytes.hasRemaining()) {
            throw new SSLException("TLS is closed");
        }
        return result;
    }

    @Override
    public synchronized boolean pending() {
        return netOut != null;
    }

    @Override
    public boolean flush() throws IOException {
        synchronized (this) {
            if (!flushNow()) {
                return false;
            }
        }
        return handshake();
    }

    private boolean flushNow() throws IOException {
        if (netOut == null) {
            return true;
        }
        channel.write(netOut);
        if (netOut.hasRemaining()) {
            return false;
        }
        netOut = null;
        return true;
    }

    @Override
    public synchronized void shutdownOutput() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone() && flushNow()) {
            if (wrap(NOTHING).bytesProduced() == 0) {
                break;
            }
        }
        flushNow();
        channel.shutdownOutput();
    }

    /** The buffer with room for at least {@code room} more bytes, its content kept (write mode). */
    private static ByteBuffer grow(ByteBuffer buffer, int room) {
        if (buffer.remaining() >= room) {
            return buffer;
        }
        ByteBuffer bigger = ByteBuffer.allocate(buffer.position() + room);
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }
}
