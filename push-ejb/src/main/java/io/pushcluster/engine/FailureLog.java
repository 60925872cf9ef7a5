package io.pushcluster.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs failures that can repeat at the rate of requests (a store that is down fails every push) as
 * one line each, at most one line per interval, with the number of failures it left out since the
 * last one. The stack trace goes to the FINE level only, so that a failing dependency cannot fill the
 * log: a store down for a minute under 10,000 pushes a second writes a dozen lines, not megabytes.
 */
public final class FailureLog {

    /** At most one line per this many nanoseconds. */
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final Logger logger;
    private final LongSupplier clockNanos;
    private final AtomicLong nextLineNanos;
    private final AtomicLong left = new AtomicLong();

    public FailureLog(Logger logger) {
        this(logger, System::nanoTime);
    }

    FailureLog(Logger logger, LongSupplier clockNanos) {
        this.logger = logger;
        this.clockNanos = clockNanos;
        this.nextLineNanos = new AtomicLong(clockNanos.getAsLong());
    }

    /**
     * @param what what failed, as in "storing a message for key k"
     * @return whether a line was written at WARNING level
     */
    public boolean log(String what, Throwable failure) {
        long now = clockNanos.getAsLong();
        long next = nextLineNanos.get();
        boolean line = now - next >= 0 && nextLineNanos.compareAndSet(next, now + INTERVAL_NANOS);
        if (line) {
            long before = left.getAndSet(0);
            logger.warning(() -> what + " failed: " + summary(failure)
                    + (before > 0 ? " (" + before + " similar failures not logged in the last seconds)" : ""));
        } else {
            left.incrementAndGet();
        }
        if (logger.isLoggable(Level.FINE)) {
            logger.log(Level.FINE, what + " failed", failure);
        }
        return line;
    }

    /** The failure and its causes' messages on one line. */
    public static String summary(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
            if (text.length() > 1000) {
                break;
            }
        }
        return text.toString();
    }
}
