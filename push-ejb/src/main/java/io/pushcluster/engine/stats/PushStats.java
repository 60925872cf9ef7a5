package io.pushcluster.engine.stats;

import io.pushcluster.api.InvalidParameterException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Tag;

/**
 * What the engine counts and times, kept in {@link Meters} (MicroProfile Metrics' registry on a server,
 * exported at {@code /metrics}) and read back for {@code /1/admin/stats}: one count, two views. Every
 * counter of a label is made once, here, so that counting is a {@code LongAdder} increment.
 */
@ApplicationScoped
public class PushStats {

    private final long startedMillis = System.currentTimeMillis();
    private final Meters meters;
    private final Map<TransportKind, Counter> opened = new EnumMap<>(TransportKind.class);
    private final Map<TransportKind, Counter> closed = new EnumMap<>(TransportKind.class);
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
    private final Map<Disconnect, Counter> disconnects = new EnumMap<>(Disconnect.class);
    private final Map<PushKind, Map<RetCode, Counter>> pushes = new EnumMap<>(PushKind.class);
    private final Counter pushed;
    private final Counter delivered;
    private final Counter stored;
    private final Counter failed;
    private final Counter forwarded;
    private final Counter forwardFailed;
    private final Counter ringChanges;
    private final Timing delivery;
    /** The store operations' timings and failures, made at their first use, by "store/operation". */
    private final Map<String, Timing> storeTimings = new ConcurrentHashMap<>();
    private final Map<String, Counter> storeFailures = new ConcurrentHashMap<>();
    private final Growth<Refusal> refusalGrowth = new Growth<>(Refusal.values(), this::count, "subscribers");
    private final Growth<Disconnect> disconnectGrowth = new Growth<>(Disconnect.values(), this::count, "connections");

    /** Counts in memory only (unit tests, tools). */
    public PushStats() {
        this(new LocalMeters());
    }

    @Inject
    public PushStats(Meters meters) {
        this.meters = meters;
        for (TransportKind t : TransportKind.values()) {
            Tag transport = new Tag("transport", t.label());
            opened.put(t, meters.counter("push.connections.opened", "Subscriber connections opened (subscribed)", transport));
            closed.put(t, meters.counter("push.connections.closed", "Subscriber connections closed", transport));
            meters.gauge("push.connections", "Subscriber connections open now", () -> current(t), transport);
        }
        for (Refusal r : Refusal.values()) {
            refused.put(r, meters.counter("push.connections.refused", "Subscriber connections refused, by reason",
                    new Tag("reason", r.label())));
        }
        for (Disconnect d : Disconnect.values()) {
            disconnects.put(d, meters.counter("push.disconnects", "Subscriber connections the server closed, by reason",
                    new Tag("reason", d.label())));
        }
        for (PushKind k : PushKind.values()) {
            Map<RetCode, Counter> byRet = new EnumMap<>(RetCode.class);
            for (RetCode r : RetCode.values()) {
                byRet.put(r, meters.counter("push.pushes", "Push requests, by kind and ret code",
                        new Tag("kind", k.label()), new Tag("ret", r.label())));
            }
            pushes.put(k, byRet);
        }
        pushed = meters.counter("push.keys.pushed", "Keys pushed to (each key of a multi-key push counts)");
        stored = meters.counter("push.keys.stored", "Keys a message was stored for");
        failed = meters.counter("push.keys.failed", "Keys a push failed for (storing or routing failed)");
        delivered = meters.counter("push.deliveries", "Messages handed to subscriber connections");
        forwarded = meters.counter("push.forwards", "Keys of pushes sent on to the member that owns them");
        forwardFailed = meters.counter("push.forward.failures", "Keys of pushes whose owner could not be reached");
        ringChanges = meters.counter("push.ring.changes", "Changes of the ring's members (keys changed owners)");
        String deliveryText = "From a push accepted by its key's owner to its frame handed to every connection of "
                + "the key on this member (written, or queued behind earlier frames)";
        delivery = new Timing(meters.timer("push.delivery", deliveryText),
                new LatencyBuckets(meters, "push.delivery.seconds.bucket", deliveryText));
    }

    /** A subscriber's connection joined the hub. */
    public void opened(TransportKind transport) {
        opened.get(transport).inc();
    }

    /** A subscriber's connection left the hub. */
    public void closed(TransportKind transport) {
        closed.get(transport).inc();
    }

    public void refused(Refusal reason) {
        refused.get(reason).inc();
    }

    public void disconnected(Disconnect reason) {
        disconnects.get(reason).inc();
    }

    public void disconnected(Disconnect reason, int connections) {
        disconnects.get(reason).inc(connections);
    }

    /**
     * Runs a push request and counts how it ended, by its kind and the ret code it answers with; once,
     * by the member that took it.
     */
    public <T> T counted(PushKind kind, Supplier<T> push) {
        Map<RetCode, Counter> byRet = pushes.get(kind);
        try {
            T result = push.get();
            byRet.get(RetCode.OK).inc();
            return result;
        } catch (InvalidParameterException e) {
            byRet.get(RetCode.INVALID).inc();
            throw e;
        } catch (RuntimeException e) {
            byRet.get(RetCode.FAILED).inc();
            throw e;
        }
    }

    public void pushed(int keys) {
        pushed.inc(keys);
    }

    public void delivered(int connections) {
        delivered.inc(connections);
    }

    /** A message reached the connections of one key here (or of every key, for a public one). */
    public void deliveredSince(long acceptedNanos) {
        delivery.record(System.nanoTime() - acceptedNanos);
    }

    public void stored(int keys) {
        stored.inc(keys);
    }

    public void failed(int keys) {
        failed.inc(keys);
    }

    /** Keys of pushes sent on to the member that owns them. */
    public void forwarded(int keys) {
        forwarded.inc(keys);
    }

    /** Keys of pushes whose owner could not be reached (it had just left). */
    public void forwardFailed(int keys) {
        forwardFailed.inc(keys);
    }

    /** The ring's members changed. */
    public void ringChanged() {
        ringChanges.inc();
    }

    /** The timing of one store operation (its timer and histogram), for the store's measuring wrapper. */
    public Timing storeTiming(String store, String operation) {
        return storeTimings.computeIfAbsent(store + "/" + operation, id -> {
            String text = "Message store operations, by store and operation";
            Tag[] tags = {new Tag("store", store), new Tag("operation", operation)};
            return new Timing(meters.timer("push.store.operation", text, tags),
                    new LatencyBuckets(meters, "push.store.operation.seconds.bucket", text, tags));
        });
    }

    /** The failures of one store operation. */
    public Counter storeFailures(String store, String operation) {
        return storeFailures.computeIfAbsent(store + "/" + operation, id -> meters.counter("push.store.failures",
                "Message store operations that failed, by store and operation",
                new Tag("store", store), new Tag("operation", operation)));
    }

    /** A value read when exported, such as the cluster's size. */
    public void gauge(String name, String description, LongSupplier value) {
        meters.gauge(name, description, value);
    }

    public long startedMillis() {
        return startedMillis;
    }

    /** Connections of the transport open now. */
    public long current(TransportKind transport) {
        return opened.get(transport).getCount() - closed.get(transport).getCount();
    }

    /** The counters of {@code /1/admin/stats}'s {@code connections}, by their names there. */
    public Map<String, Long> connectionCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("added", opened.values().stream().mapToLong(Counter::getCount).sum());
        counters.put("removed", closed.values().stream().mapToLong(Counter::getCount).sum());
        counters.put("refused", count(Refusal.KEY_FULL) + count(Refusal.LISTENER_FULL));
        counters.put("slowDisconnects", count(Disconnect.SLOW));
        counters.put("heartbeatTimeouts", count(Disconnect.HEARTBEAT_TIMEOUT));
        counters.put("migrated", count(Disconnect.MIGRATED));
        counters.put("kicked", count(Disconnect.KICKED));
        counters.put("banned", count(Disconnect.BANNED));
        counters.put("tooManyFrames", count(Disconnect.TOO_MANY_FRAMES));
        counters.put("refusedBanned", count(Refusal.BANNED));
        counters.put("refusedPerIp", count(Refusal.PER_IP));
        counters.put("refusedByIpList", count(Refusal.IP_LIST));
        return counters;
    }

    /** The counters of {@code /1/admin/stats}'s {@code messages}. */
    public Map<String, Long> messageCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("pushed", pushed.getCount());
        counters.put("delivered", delivered.getCount());
        counters.put("stored", stored.getCount());
        counters.put("failed", failed.getCount());
        counters.put("forwarded", forwarded.getCount());
        counters.put("forwardFailed", forwardFailed.getCount());
        return counters;
    }

    public long count(Refusal reason) {
        return refused.get(reason).getCount();
    }

    public long count(Disconnect reason) {
        return disconnects.get(reason).getCount();
    }

    public long count(PushKind kind, RetCode ret) {
        return pushes.get(kind).get(ret).getCount();
    }

    public long openedCount(TransportKind transport) {
        return opened.get(transport).getCount();
    }

    public long closedCount(TransportKind transport) {
        return closed.get(transport).getCount();
    }

    public long ringChanges() {
        return ringChanges.getCount();
    }

    /**
     * The subscribers refused and the connections closed since the last call, by reason, as one log
     * line's words ("refused 12 subscribers (key_full 3, per_ip 9); closed 4 connections (slow 4)"), or
     * empty when there were none: so that refusals are logged per minute, not per connection.
     */
    public synchronized Optional<String> sinceLastSummary() {
        String refusedNow = refusalGrowth.sinceLast();
        String closedNow = disconnectGrowth.sinceLast();
        if (refusedNow.isEmpty() && closedNow.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((refusedNow.isEmpty() ? "" : "refused " + refusedNow)
                + (!refusedNow.isEmpty() && !closedNow.isEmpty() ? "; " : "")
                + (closedNow.isEmpty() ? "" : "closed " + closedNow));
    }

    /** The push-to-delivery timing, for its summary in {@code /1/admin/stats}. */
    public Timing delivery() {
        return delivery;
    }
}
