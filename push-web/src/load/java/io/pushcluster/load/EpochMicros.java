package io.pushcluster.load;

import java.time.Instant;

/**
 * Wall-clock time in epoch microseconds, read from the monotonic clock after one reading of the wall
 * clock: cheap, never goes back, and comparable between the pushing and the receiving thread.
 */
final class EpochMicros {

    private static final long BASE_NANOS = System.nanoTime();
    private static final long BASE_MICROS;

    static {
        Instant now = Instant.now();
        BASE_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private EpochMicros() {
    }

    static long now() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1000;
    }

    static long at(long nanoTime) {
        return BASE_MICROS + (nanoTime - BASE_NANOS) / 1000;
    }
}
