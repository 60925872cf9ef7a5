package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.connection.Connection;
import io.pushcluster.engine.connection.Ending;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.TransportKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A subscriber, as the hub sees it, over any {@link Transport}. Writes never block: what the transport does
 * not take at once waits, at most {@code push.send-queue} frames of it, for the transport to
 * take as it drains; a subscriber that lets more pile up is disconnected, and recovers stored
 * messages from {@code /1/msg/get} when it comes back. An idle connection holds no buffer.
 */
public final class SubscriberSession implements Connection {

    private final Transport transport;
    private final Subscriptions subscriptions;
    private final String key;
    private final boolean versioned;
    private final long silenceLimitNanos;
    /**
     * Frames not yet written, the first perhaps in part; null when none wait. Guarded by this, as are
     * the two flags.
     */
    private ArrayDeque<ByteBuffer> queue;
    private boolean started;
    private boolean awaitingWritable;
    private volatile long lastHeardNanos = System.nanoTime();
    /** The client's frames counted since {@link #windowStartNanos}; only the reading thread touches them. */
    private int framesInWindow;
    private long windowStartNanos = System.nanoTime();

    SubscriberSession(Transport transport, Subscriptions subscriptions, String key, boolean versioned,
            long silenceLimitNanos) {
        this.transport = transport;
        this.subscriptions = subscriptions;
        this.key = key;
        this.versioned = versioned;
        this.silenceLimitNanos = silenceLimitNanos;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public TransportKind transport() {
        return subscriptions.transport();
    }

    @Override
    public boolean send(PushedMessage message) {
        return write(subscriptions.framing().message(message.form(versioned)));
    }

    /**
     * One frame (a heartbeat, a ping, anything) arrived from the subscriber, on the thread that reads
     * it: counted against {@code push.limit.client-frames-per-second}; false when the connection is
     * over the limit, and then closed, or already closed.
     */
    public boolean frameArrived() {
        int limit = subscriptions.framesPerSecond();
        if (limit > 0) {
            long now = System.nanoTime();
            if (now - windowStartNanos >= 1_000_000_000L) {
                windowStartNanos = now;
                framesInWindow = 0;
            }
            if (++framesInWindow > limit) {
                subscriptions.tooManyFrames();
                end(Ending.TOO_MANY_FRAMES);
                return false;
            }
        }
        return !transport.isClosed();
    }

    /** The subscriber's heartbeat arrived: noted and answered; false when the connection is closed. */
    public boolean heartbeat() {
        lastHeardNanos = System.nanoTime();
        return write(subscriptions.framing().heartbeat());
    }

    /** Queues a frame and writes what the transport takes now; false when the connection is or has just been closed. */
    public boolean write(byte[] frame) {
        if (transport.isClosed()) {
            return false;
        }
        boolean tooSlow = false;
        synchronized (this) {
            if (queue == null && started) {
                writeAlone(ByteBuffer.wrap(frame));
            } else if (queue == null || queue.size() < subscriptions.queueLimit()) {
                waitInQueue(ByteBuffer.wrap(frame));
                if (started) {
                    writeQueue();
                }
            } else {
                tooSlow = true;
            }
        }
        if (tooSlow) {
            subscriptions.slowDisconnect();
            close();
        }
        return !transport.isClosed();
    }

    /** Writes a frame with nothing before it; what the transport does not take waits. */
    private void writeAlone(ByteBuffer frame) {
        try {
            transport.writeSome(frame);
        } catch (IOException e) {
            close();
            return;
        }
        if (frame.hasRemaining()) {
            waitInQueue(frame);
            awaitWritable(true);
        }
    }

    private void waitInQueue(ByteBuffer frame) {
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        queue.add(frame);
    }

    /** Lets the queued frames go out; until now they only waited, so that {@code +h} precedes every push. */
    void start() {
        synchronized (this) {
            started = true;
            writeQueue();
        }
    }

    /** Writes what waits, as far as the transport takes it: the transport's call when it drains. */
    public void writable() {
        synchronized (this) {
            writeQueue();
        }
    }

    private void writeQueue() {
        try {
            ByteBuffer first;
            while (queue != null && (first = queue.peek()) != null) {
                transport.writeSome(first);
                if (first.hasRemaining()) {
                    awaitWritable(true);
                    return;
                }
                queue.poll();
            }
        } catch (IOException e) {
            close();
            return;
        }
        queue = null;
        awaitWritable(false);
    }

    private void awaitWritable(boolean await) {
        if (awaitingWritable != await) {
            awaitingWritable = await;
            transport.awaitWritable(await);
        }
    }

    @Override
    public void close() {
        close(subscriptions.framing().farewell());
    }

    @Override
    public void end(Ending why) {
        close(subscriptions.framing().ending(why));
    }

    /** Leaves the hub and closes the transport, sending the last frame first when nothing else waits. */
    public void close(byte[] lastFrame) {
        subscriptions.leave(this);
        if (lastFrame.length > 0) {
            synchronized (this) {
                if (started && queue == null && !transport.isClosed()) {
                    try {
                        transport.writeSome(ByteBuffer.wrap(lastFrame));
                    } catch (IOException e) {
                        // the subscriber is gone; closing is all that is left
                    }
                }
            }
        }
        transport.closeTransport();
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
