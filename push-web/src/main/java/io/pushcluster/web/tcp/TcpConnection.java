package io.pushcluster.web.tcp;

import io.pushcluster.engine.connection.Connection;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.web.subscribe.Replies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A subscriber on TCP, as the hub sees it. Each push is written as {@code $<byte length>\r\n<json>\r\n}.
 * Writes never block: what the socket does not take at once waits, at most {@code push.send-queue}
 * frames of it, for the selector thread to write as the socket drains; a subscriber that lets more
 * pile up is disconnected, and recovers stored messages from {@code /1/msg/get} when it comes back.
 */
final class TcpConnection implements Connection {

    static final byte[] HEARTBEAT = Replies.HEARTBEAT.getBytes(StandardCharsets.US_ASCII);

    private final TcpSubscriber socket;
    private final String key;
    private final boolean versioned;
    private final long silenceLimitNanos;
    private final int queueLimit;
    private final ConnectionHub hub;
    private final PushStats stats;
    /** Frames not yet written, the first perhaps in part; guarded by itself, as are the two flags. */
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private boolean started;
    private boolean awaitingWritable;
    private volatile long lastHeardNanos = System.nanoTime();

    TcpConnection(TcpSubscriber socket, String key, boolean versioned, long silenceLimitNanos, int queueLimit,
            ConnectionHub hub, PushStats stats) {
        this.socket = socket;
        this.key = key;
        this.versioned = versioned;
        this.silenceLimitNanos = silenceLimitNanos;
        this.queueLimit = queueLimit;
        this.hub = hub;
        this.stats = stats;
    }

    /** {@code $<byte length>\r\n<json>\r\n}. */
    static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("$" + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + body.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean send(PushedMessage message) {
        return write(frame(message.form(versioned)));
    }

    /** Queues bytes and writes what the socket takes now; false when the connection is or has just been closed. */
    boolean write(byte[] bytes) {
        if (socket.isClosed()) {
            return false;
        }
        boolean tooSlow;
        synchronized (queue) {
            tooSlow = queue.size() >= queueLimit;
            if (!tooSlow) {
                queue.add(ByteBuffer.wrap(bytes));
                if (started) {
                    writeQueue();
                }
            }
        }
        if (tooSlow) {
            stats.slowDisconnect();
            close();
        }
        return !socket.isClosed();
    }

    /** Lets the queued frames go out; until now they only waited, so that {@code +h} precedes every push. */
    void start() {
        synchronized (queue) {
            started = true;
            writeQueue();
        }
    }

    /** Writes what waits, as far as the socket takes it: the selector thread's call when the socket drains. */
    void writable() {
        synchronized (queue) {
            writeQueue();
        }
    }

    private void writeQueue() {
        try {
            while (!queue.isEmpty()) {
                ByteBuffer first = queue.peek();
                socket.channel().write(first);
                if (first.hasRemaining()) {
                    awaitWritable(true);
                    return;
                }
                queue.poll();
            }
            awaitWritable(false);
        } catch (IOException e) {
            close();
        }
    }

    private void awaitWritable(boolean await) {
        if (awaitingWritable != await) {
            awaitingWritable = await;
            socket.awaitWritable(await);
        }
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    @Override
    public void close() {
        hub.remove(this);
        socket.closeSocket();
    }

    @Override
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public long silenceLimitNanos() {
        return silenceLimitNanos;
    }
}
