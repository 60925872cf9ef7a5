package io.pushcluster.engine.id;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Hands out message ids: the wall clock in microseconds, bumped past the last id handed out when the
 * clock has not moved on (or went back). Every id is greater than every earlier one, so ids increase
 * per key; they stay below 2^53 (exact as a Redis score and a JavaScript number) until the year 2255.
 * After a restart the clock has moved on, and {@link #advancePast} covers a clock that was set back.
 */
public final class MessageIds {

    /** The largest integer a double holds exactly. */
    public static final long MAX_EXACT = (1L << 53) - 1;

    private final LongSupplier clockMicros;
    private final AtomicLong last = new AtomicLong();

    public MessageIds(LongSupplier clockMicros) {
        this.clockMicros = clockMicros;
    }

    /** Ids from the system clock. */
    public static MessageIds systemClock() {
        return new MessageIds(() -> {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        });
    }

    /** A new id, greater than every id handed out before. */
    public long next() {
        long now = clockMicros.getAsLong();
        return last.updateAndGet(previous -> {
            long id = Math.max(previous, now - 1) + 1;
            if (previous >= MAX_EXACT || id > MAX_EXACT) {
                throw new IllegalStateException("message ids exhausted after " + previous);
            }
            return id;
        });
    }

    /**
     * A value in id space that every later {@link #next()} exceeds, without using up an id: what
     * {@code /1/time/get} answers.
     */
    public long current() {
        long now = clockMicros.getAsLong();
        return last.accumulateAndGet(now, Math::max);
    }

    /** Makes every later id greater than {@code mid}: used with the largest id found in the store. */
    public void advancePast(long mid) {
        last.accumulateAndGet(mid, Math::max);
    }
}
