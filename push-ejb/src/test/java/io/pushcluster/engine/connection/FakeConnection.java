package io.pushcluster.engine.connection;

import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.TransportKind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A connection that records what it is sent; it can refuse frames or be closed like a real one. */
public final class FakeConnection implements Connection {
    final String key;
    final long lastHeard;
    final long silenceLimit;
    public final List<PushedMessage> received = new CopyOnWriteArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    public final List<Ending> endings = new CopyOnWriteArrayList<>();
    volatile boolean accepts = true;

    public FakeConnection(String key) {
        this(key, 0, 35_000_000_000L);
    }

    public FakeConnection(String key, long lastHeard, long silenceLimit) {
        this.key = key;
        this.lastHeard = lastHeard;
        this.silenceLimit = silenceLimit;
    }

    @Override
    public String key() {
        return key;
    }

    /** A fake is counted as a TCP connection. */
    @Override
    public TransportKind transport() {
        return TransportKind.TCP;
    }

    @Override
    public boolean send(PushedMessage message) {
        if (!accepts || closes.get() > 0) {
            return false;
        }
        received.add(message);
        return true;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    @Override
    public void end(Ending why) {
        endings.add(why);
        close();
    }

    @Override
    public long lastHeardNanos() {
        return lastHeard;
    }

    @Override
    public long silenceLimitNanos() {
        return silenceLimit;
    }

    boolean closed() {
        return closes.get() > 0;
    }
}
