package io.pushcluster.web.guard;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Keeps what clients cause out of the log, where Payara's own code would write a stack trace for it: a
 * client that closes its connection while its responses are written, or a request that Grizzly's
 * parser cannot read. Such a record, from the container's loggers, is counted instead of written; at
 * most once per {@value #INTERVAL_SECONDS} s one of them goes out, reduced to a single line that says
 * how many were held back. Every other record is judged by the filter that was there before.
 *
 * <p>One instance sits on each handler of the root logger: a record that reaches several handlers is
 * judged once, by the first.
 */
public final class ClientErrorLog implements Filter {

    static final long INTERVAL_SECONDS = 5;
    /** Where Payara's web container, its HTTP server and its JAX-RS and WebSocket runtimes log. */
    private static final List<String> CONTAINER_LOGGERS = List.of("org.glassfish.jersey.", "org.glassfish.grizzly.",
            "org.glassfish.tyrus.", "org.apache.catalina.", "jakarta.enterprise.web", "javax.enterprise.web",
            "org.glassfish.web.");
    private static final String GRIZZLY_HTTP = "org.glassfish.grizzly.http.";
    /** Longest part of a client's input or an exception text quoted in the line. */
    private static final int QUOTED_CHARS = 160;
    /**
     * The record last judged on this thread, and the verdict: handlers are called one after another.
     * JDK types only, and the record weakly, so that a container thread keeps neither a record nor
     * this application's classes once the application is gone.
     */
    private static final ThreadLocal<Map.Entry<WeakReference<LogRecord>, Boolean>> LAST = new ThreadLocal<>();

    private final Filter before;
    private final Counter counter;

    ClientErrorLog(Filter before, Counter counter) {
        this.before = before;
        this.counter = counter;
    }

    /** The filter this one was put in front of; null for none. */
    Filter before() {
        return before;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        Map.Entry<WeakReference<LogRecord>, Boolean> last = LAST.get();
        if (last != null && last.getKey().get() == record) {
            return last.getValue();
        }
        boolean loggable = judge(record);
        LAST.set(Map.entry(new WeakReference<>(record), loggable));
        return loggable;
    }

    private boolean judge(LogRecord record) {
        if (!causedByClient(record)) {
            return before == null || before.isLoggable(record);
        }
        long held = counter.heldBack();
        if (held < 0) {
            return false;
        }
        Throwable thrown = record.getThrown();
        String last = thrown == null ? String.valueOf(record.getMessage())
                : rootCause(thrown) + " (thrown as " + thrown.getClass().getName() + ")";
        record.setLevel(Level.INFO);
        record.setMessage(String.format("client errors (broken connections, unreadable requests): %,d since the "
                + "last such line, logged only as this line; the last: %s, logged by %s", held, printable(last),
                record.getLoggerName()));
        record.setParameters(null);
        record.setThrown(null);
        return before == null || before.isLoggable(record);
    }

    /**
     * A container's record about what a client can cause: whatever Grizzly's HTTP codec logs (it logs
     * only about requests it cannot read), or an exception of a broken connection or unreadable input.
     */
    static boolean causedByClient(LogRecord record) {
        String logger = record.getLoggerName();
        if (logger == null || CONTAINER_LOGGERS.stream().noneMatch(logger::startsWith)) {
            return false;
        }
        if (logger.startsWith(GRIZZLY_HTTP)) {
            return true;
        }
        for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || parsing(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Thrown inside Grizzly's HTTP parsing: what a malformed request makes it throw. */
    private static boolean parsing(Throwable cause) {
        StackTraceElement[] frames = cause.getStackTrace();
        return frames.length > 0 && frames[0].getClassName().startsWith(GRIZZLY_HTTP);
    }

    private static String rootCause(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getName() + (message == null ? "" : ": " + message);
    }

    /** Text that may quote a client's bytes, as one short line of printable ASCII. */
    static String printable(String text) {
        StringBuilder line = new StringBuilder(Math.min(text.length(), QUOTED_CHARS + 3));
        for (int i = 0; i < text.length() && line.length() < QUOTED_CHARS; i++) {
            char c = text.charAt(i);
            line.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return text.length() > line.length() ? line.append("...").toString() : line.toString();
    }

    /** How many client errors were held back, shared by the filters of every handler. */
    static final class Counter {

        private final LongSupplier nanoTime;
        private final AtomicLong held = new AtomicLong();
        private final AtomicLong nextLineNanos;

        Counter(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            this.nextLineNanos = new AtomicLong(nanoTime.getAsLong());
        }

        /**
         * Counts one more; when a line is due, how many were held back since the last line (this one
         * included), else -1.
         */
        long heldBack() {
            held.incrementAndGet();
            long now = nanoTime.getAsLong();
            long next = nextLineNanos.get();
            if (now - next < 0 || !nextLineNanos.compareAndSet(next, now + TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS))) {
                return -1;
            }
            return held.getAndSet(0);
        }
    }
}
