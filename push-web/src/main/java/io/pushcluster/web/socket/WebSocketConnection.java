package io.pushcluster.web.socket;

import io.pushcluster.engine.connection.Connection;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber on WebSocket. Frames are written asynchronously; at most {@code push.send-queue} may
 * wait to be written, and a subscriber that lets more pile up is disconnected: it recovers stored
 * messages from {@code /1/msg/get} when it comes back. Pushes that arrive after the connection joined
 * the hub but before {@link #start} wait, so that {@code +h} is the first frame the client sees.
 */
final class WebSocketConnection implements Connection {

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final String key;
    private final boolean versioned;
    private final long silenceLimitNanos;
    private final int queueLimit;
    private final ConnectionHub hub;
    private final PushStats stats;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();
    /** Frames queued before {@link #start}; null after it. Guarded by this. */
    private List<String> beforeStart = new ArrayList<>(2);
    /** Set once the frames before the start are written: from then on frames go out without the lock. */
    private volatile boolean started;

    WebSocketConnection(Session session, String key, boolean versioned, long silenceLimitNanos, int queueLimit,
            ConnectionHub hub, PushStats stats) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.key = key;
        this.versioned = versioned;
        this.silenceLimitNanos = silenceLimitNanos;
        this.queueLimit = queueLimit;
        this.hub = hub;
        this.stats = stats;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean send(PushedMessage message) {
        return write(message.form(versioned));
    }

    /** Queues a text frame; false when the connection is closed or has just been closed as too slow. */
    boolean write(String text) {
        if (closed.get()) {
            return false;
        }
        if (queued.incrementAndGet() > queueLimit) {
            queued.decrementAndGet();
            stats.slowDisconnect();
            close();
            return false;
        }
        if (!started) {
            synchronized (this) {
                if (beforeStart != null) {
                    beforeStart.add(text);
                    return true;
                }
            }
        }
        remote.sendText(text, this::written);
        return true;
    }

    /** Writes the first frame, then what waited for it, and from now on every frame at once. */
    void start(String firstFrame) {
        queued.incrementAndGet();
        synchronized (this) {
            remote.sendText(firstFrame, this::written);
            for (String text : beforeStart) {
                remote.sendText(text, this::written);
            }
            beforeStart = null;
            started = true;
        }
    }

    private void written(SendResult result) {
        queued.decrementAndGet();
        if (!result.isOK()) {
            close();
        }
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            hub.remove(this);
            try {
                session.close();
            } catch (IOException | RuntimeException e) {
                // the peer is gone already; nothing is left to release
            }
        }
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
