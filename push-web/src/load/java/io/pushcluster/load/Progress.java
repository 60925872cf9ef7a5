package io.pushcluster.load;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Waits, printing the subscribers' and requests' counts to stderr every five seconds. */
final class Progress {

    interface Done {
        boolean check() throws Exception;
    }

    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private Progress() {
    }

    static void sleep(Subscribers subs, String note, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        until(subs, note, () -> {
            Thread.sleep(Math.max(0, Math.min(200, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            return System.nanoTime() >= end;
        }, seconds + 1);
    }

    /** Calls {@code done} (which may block briefly) until it says so or {@code maxSeconds} passed. */
    static boolean until(Subscribers subs, String note, Done done, double maxSeconds) throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (maxSeconds * 1e9);
        long next = start + EVERY_NANOS;
        while (System.nanoTime() < end) {
            if (done.check()) {
                return true;
            }
            if (System.nanoTime() >= next) {
                next += EVERY_NANOS;
                print(subs, note);
            }
        }
        return false;
    }

    static void print(Subscribers subs, String note) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%tT]", System.currentTimeMillis()));
        if (subs != null) {
            line.append(String.format(Locale.ROOT, " open=%d connected=%d failed=%d dropped=%d delivered=%d",
                    subs.open(), subs.connected(), subs.failed(), subs.dropped(), subs.delivered()));
        }
        if (note != null) {
            line.append(' ').append(note);
        }
        System.err.println(line);
    }
}
