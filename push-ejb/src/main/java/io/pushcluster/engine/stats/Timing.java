package io.pushcluster.engine.stats;

import java.time.Duration;
import org.eclipse.microprofile.metrics.Timer;

/**
 * A duration measured two ways at once: MicroProfile's timer (count, sum and maximum, in seconds) and
 * the histogram beside it ({@link LatencyBuckets}), which Prometheus can take quantiles of.
 */
public record Timing(Timer timer, LatencyBuckets buckets) {

    public void record(long nanos) {
        timer.update(Duration.ofNanos(nanos));
        buckets.record(nanos);
    }
}
