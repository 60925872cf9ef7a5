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
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder forwardFailed = new LongAdder();
    private final LongAdder migrated = new LongAdder();
    private final LongAdder kicked = new LongAdder();
    private final LongAdder banned = new LongAdder();
    private final LongAdder tooManyFrames = new LongAdder();
    private final LongAdder refusedBanned = new LongAdder();
    private final LongAdder refusedPerAddress = new LongAdder();
    private final LongAdder refusedByAddressList = new LongAdder();

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

    /** Keys of pushes sent on to the member that owns them. */
    public void forwarded(int keys) {
        forwarded.add(keys);
    }

    /** Keys of pushes whose owner could not be reached (it had just left). */
    public void forwardFailed(int keys) {
        forwardFailed.add(keys);
    }

    /** Connections closed because their key moved to another member. */
    public void migrated(int connections) {
        migrated.add(connections);
    }

    /** A connection closed to make room on its key, or by an admin's kick. */
    public void kicked() {
        kicked.increment();
    }

    /** A connection closed because an admin banned its key. */
    public void banned() {
        banned.increment();
    }

    /** A connection closed for sending more than {@code push.limit.client-frames-per-second}. */
    public void tooManyFrames() {
        tooManyFrames.increment();
    }

    /** A subscribe refused because its key is banned. */
    public void refusedBanned() {
        refusedBanned.increment();
    }

    /** A connection refused because its client address held {@code push.limit.connections-per-ip} already. */
    public void refusedPerAddress() {
        refusedPerAddress.increment();
    }

    /** A connection or request refused by {@code push.ip.allow} or {@code push.ip.deny}. */
    public void refusedByAddressList() {
        refusedByAddressList.increment();
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
        counters.put("migrated", migrated.sum());
        counters.put("kicked", kicked.sum());
        counters.put("banned", banned.sum());
        counters.put("tooManyFrames", tooManyFrames.sum());
        counters.put("refusedBanned", refusedBanned.sum());
        counters.put("refusedPerIp", refusedPerAddress.sum());
        counters.put("refusedByIpList", refusedByAddressList.sum());
        return counters;
    }

    public Map<String, Long> messageCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("pushed", pushed.sum());
        counters.put("delivered", delivered.sum());
        counters.put("stored", stored.sum());
        counters.put("failed", failed.sum());
        counters.put("forwarded", forwarded.sum());
        counters.put("forwardFailed", forwardFailed.sum());
        return counters;
    }
}
