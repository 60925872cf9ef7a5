package io.pushcluster.web.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition, polling, for at most a bound: what tests do instead of fixed sleeps. */
final class Await {

    private static final long POLL_MILLIS = 100;

    private Await() {
    }

    /** Returns once the condition holds; fails with the message when it still does not after the limit. */
    static void until(Duration limit, BooleanSupplier condition, Supplier<String> message) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + message.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + message.get(), e);
            }
        }
    }
}
