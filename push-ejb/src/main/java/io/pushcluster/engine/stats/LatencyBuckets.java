package io.pushcluster.engine.stats;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Tag;

/**
 * A duration's histogram as Prometheus reads one: a counter per upper bound, labelled {@code le}, each
 * counting every observation at or below it ({@code NAME_bucket_total{le="0.005"}}, and {@code le="+Inf"}
 * for all), so that {@code histogram_quantile} works and members add up. Payara's own histograms cannot
 * serve: their buckets count a sample of the recent values, not every one. Recording costs one
 * {@code LongAdder} increment per bound at or above the value.
 */
public final class LatencyBuckets {

    /** Upper bounds in seconds, from half a millisecond to ten seconds. */
    static final double[] BOUNDS_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final long[] boundsNanos = Arrays.stream(BOUNDS_SECONDS).mapToLong(s -> Math.round(s * 1e9)).toArray();
    /** One per bound, then +Inf. */
    private final Counter[] atOrBelow = new Counter[BOUNDS_SECONDS.length + 1];
    private final String[] labels = new String[BOUNDS_SECONDS.length + 1];

    LatencyBuckets(Meters meters, String name, String description, Tag... tags) {
        for (int i = 0; i < atOrBelow.length; i++) {
            labels[i] = i < BOUNDS_SECONDS.length ? BigDecimal.valueOf(BOUNDS_SECONDS[i]).stripTrailingZeros().toPlainString()
                    : "+Inf";
            Tag[] withBound = Arrays.copyOf(tags, tags.length + 1);
            withBound[tags.length] = new Tag("le", labels[i]);
            atOrBelow[i] = meters.counter(name, description, withBound);
        }
    }

    public void record(long nanos) {
        int i = 0;
        while (i < boundsNanos.length && nanos > boundsNanos[i]) {
            i++;
        }
        for (; i < atOrBelow.length; i++) {
            atOrBelow[i].inc();
        }
    }

    /** The counts by bound ("0.0005" ... "+Inf"), each of every observation at or below it. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < atOrBelow.length; i++) {
            counts.put(labels[i], atOrBelow[i].getCount());
        }
        return counts;
    }
}
