package io.pushcluster.engine.store;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.Timing;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;

/**
 * The chosen store, timed: every save, fetch, delete and purge is measured, and counted as a failure
 * when it throws ({@code push_store_operation_seconds} with its buckets, {@code push_store_failures_total},
 * by store and operation); the store going down and coming back is logged once each ({@link StoreHealth}).
 * Everything else goes straight through.
 */
final class MeasuredStore implements MessageStore {

    private final MessageStore store;
    private final Operation save;
    private final Operation fetch;
    private final Operation delete;
    private final Operation purge;

    /** One operation's timer and failure count, and the store's health. */
    private record Operation(Timing timing, Counter failures, StoreHealth health) {

        <T> T run(Supplier<T> call) {
            long start = System.nanoTime();
            try {
                T result = call.get();
                health.succeeded();
                return result;
            } catch (RuntimeException e) {
                failures.inc();
                health.failed(e);
                throw e;
            } finally {
                timing.record(System.nanoTime() - start);
            }
        }

        void run(Runnable call) {
            run(() -> {
                call.run();
                return null;
            });
        }
    }

    MeasuredStore(MessageStore store, String name, PushStats stats, String member) {
        this(store, name, stats, new StoreHealth(member, name, System::nanoTime));
    }

    MeasuredStore(MessageStore store, String name, PushStats stats, StoreHealth health) {
        this.store = store;
        this.save = operation(stats, name, "save", health);
        this.fetch = operation(stats, name, "fetch", health);
        this.delete = operation(stats, name, "delete", health);
        this.purge = operation(stats, name, "purge", health);
    }

    private static Operation operation(PushStats stats, String store, String operation, StoreHealth health) {
        return new Operation(stats.storeTiming(store, operation), stats.storeFailures(store, operation), health);
    }

    @Override
    public void save(String key, StoredMessage message) {
        save.run(() -> store.save(key, message));
    }

    @Override
    public void saveForKeys(Collection<String> keys, StoredMessage message) {
        save.run(() -> store.saveForKeys(keys, message));
    }

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
        return fetch.run(() -> store.messagesAfter(key, afterMid, nowMillis));
    }

    @Override
    public void delete(String key) {
        delete.run(() -> store.delete(key));
    }

    @Override
    public int purgeExpired(long nowMillis) {
        return purge.run(() -> store.purgeExpired(nowMillis));
    }

    @Override
    public long maxMid() {
        return store.maxMid();
    }

    @Override
    public void check() {
        store.check();
    }

    @Override
    public long longestSaveMillis() {
        return store.longestSaveMillis();
    }

    @Override
    public Optional<String> instanceLocal() {
        return store.instanceLocal();
    }
}
