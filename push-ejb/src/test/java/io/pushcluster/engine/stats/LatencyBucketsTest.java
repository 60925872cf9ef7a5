package io.pushcluster.engine.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    private final LocalMeters meters = new LocalMeters();
    private final LatencyBuckets buckets = new LatencyBuckets(meters, "t.seconds.bucket", "test", new Tag("store", "jpa"));

    @Test
    void eachBoundCountsEveryObservationAtOrBelowIt() {
        buckets.record(TimeUnit.MICROSECONDS.toNanos(300));   // 0.0003 s
        buckets.record(TimeUnit.MICROSECONDS.toNanos(500));   // exactly 0.0005 s: in the 0.0005 bucket
        buckets.record(TimeUnit.MILLISECONDS.toNanos(3));     // 0.003 s
        buckets.record(TimeUnit.SECONDS.toNanos(60));         // beyond every bound
        Map<String, Long> counts = buckets.counts();
        assertEquals(List.of("0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
                "1", "2.5", "5", "10", "+Inf"), new ArrayList<>(counts.keySet()));
        assertEquals(2L, counts.get("0.0005"));
        assertEquals(2L, counts.get("0.0025"));
        assertEquals(3L, counts.get("0.005"));
        assertEquals(3L, counts.get("10"));
        assertEquals(4L, counts.get("+Inf"));
        assertEquals(3L, meters.counter("t.seconds.bucket", "test", new Tag("store", "jpa"), new Tag("le", "5")).getCount(),
                "exported as one counter per bound, labelled le");
    }

    /** Eight threads record at once: the buckets stay cumulative and exact. */
    @Test
    void countsStayExactAndCumulativeUnderConcurrency() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    buckets.record(i % 2 == 0 ? 100_000 : 20_000_000); // 0.1 ms and 20 ms
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        Map<String, Long> counts = buckets.counts();
        assertEquals(40_000L, counts.get("0.0005"));
        assertEquals(40_000L, counts.get("0.01"));
        assertEquals(80_000L, counts.get("0.025"));
        assertEquals(80_000L, counts.get("+Inf"));
        long previous = 0;
        for (long count : counts.values()) {
            assertTrue(count >= previous, "cumulative: " + counts);
            previous = count;
        }
    }
}
