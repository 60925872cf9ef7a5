package io.pushcluster.engine.store;

import io.pushcluster.engine.FailureLog;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Whether the store answers, as its operations find it, logged once per change: "down" at the first
 * operation that finds it unreachable, "up again" at the first that succeeds after it was down for
 * at least {@link #QUIET_NANOS}, so that a store that fails one operation in two writes a line
 * every few seconds, not one per operation.
 */
final class StoreHealth {

    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Logger LOG = Logger.getLogger(StoreHealth.class.getName());
    private static final long UP = Long.MIN_VALUE;

    private final String prefix;
    private final LongSupplier clockNanos;
    /** When the store was found down, or {@link #UP}. */
    private final AtomicLong downSinceNanos = new AtomicLong(UP);
    private final LongAdder failedWhileDown = new LongAdder();

    StoreHealth(String member, String store, LongSupplier clockNanos) {
        this.prefix = "member " + member + ": message store " + store;
        this.clockNanos = clockNanos;
    }

    void succeeded() {
        long since = downSinceNanos.get();
        if (since == UP) {
            return;
        }
        long now = clockNanos.getAsLong();
        if (now - since >= QUIET_NANOS && downSinceNanos.compareAndSet(since, UP)) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(now - since);
            long failed = failedWhileDown.sumThenReset();
            LOG.info(() -> prefix + " up again after " + seconds + " s down (" + failed + " operations failed)");
        }
    }

    void failed(RuntimeException failure) {
        if (!(failure instanceof StoreUnavailableException)) {
            return;
        }
        failedWhileDown.increment();
        if (downSinceNanos.get() == UP && downSinceNanos.compareAndSet(UP, clockNanos.getAsLong())) {
            LOG.warning(() -> prefix + " down: " + FailureLog.summary(failure));
        }
    }

    boolean down() {
        return downSinceNanos.get() != UP;
    }
}
