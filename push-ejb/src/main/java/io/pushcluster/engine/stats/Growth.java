package io.pushcluster.engine.stats;

import java.util.function.ToLongFunction;

/** How counts by reason grew between one reading and the next, in words for a log line. */
final class Growth<E extends Enum<E> & Labelled> {

    private final E[] reasons;
    private final ToLongFunction<E> count;
    private final String noun;
    private final long[] last;

    Growth(E[] reasons, ToLongFunction<E> count, String noun) {
        this.reasons = reasons;
        this.count = count;
        this.noun = noun;
        this.last = new long[reasons.length];
    }

    /** "12 subscribers (key_full 3, per_ip 9)" for what grew since the last call; "" when nothing did. */
    synchronized String sinceLast() {
        long total = 0;
        StringBuilder parts = new StringBuilder();
        for (E reason : reasons) {
            long now = count.applyAsLong(reason);
            long grown = now - last[reason.ordinal()];
            last[reason.ordinal()] = now;
            if (grown > 0) {
                total += grown;
                parts.append(parts.length() > 0 ? ", " : "").append(reason.label())
                        .append(' ').append(grown);
            }
        }
        return total == 0 ? "" : total + " " + noun + " (" + parts + ")";
    }
}
