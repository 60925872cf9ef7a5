package io.pushcluster.engine.stats;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Monotonic counters; current connection figures come from the hub itself. */
@ApplicationScoped
public class PushStats {

    private final long startedMillis = System.currentTimeMillis();
    private final LongAdder connectionsAdded = new LongAdder();
    private final LongAdder connectionsRemoved = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder slowDisconnects = new LongAdder();
    private final LongAdder heartbeatTimeouts = new LongAdder();
    private final LongAdder pushed = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public void connectionAdded() {
        connectionsAdded.increment();
    }

    public void connectionRemoved() {
        connectionsRemoved.increment();
    }

    public void connectionRefused() {
        connectionsRefused.increment();
    }

    public void slowDisconnect() {
        slowDisconnects.increment();
    }

    public void heartbeatTimeout() {
        heartbeatTimeouts.increment();
    }

    public void pushed(int keys) {
        pushed.add(keys);
    }

    public void delivered(int connections) {
        delivered.add(connections);
    }

    public void stored(int keys) {
        stored.add(keys);
    }

    public void failed(int keys) {
        failed.add(keys);
    }

    public long startedMillis() {
        return startedMillis;
    }

    /** Counters by name, in a stable order. */
    public Map<String, Long> connectionCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("added", connectionsAdded.sum());
        counters.put("removed", connectionsRemoved.sum());
        counters.put("refused", connectionsRefused.sum());
        counters.put("slowDisconnects", slowDisconnects.sum());
        counters.put("heartbeatTimeouts", heartbeatTimeouts.sum());
        return counters;
    }

    public Map<String, Long> messageCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("pushed", pushed.sum());
        counters.put("delivered", delivered.sum());
        counters.put("stored", stored.sum());
        counters.put("failed", failed.sum());
        return counters;
    }
}
