package io.pushcluster.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/** Latencies in microseconds recorded by one thread and read by another (HdrHistogram). */
final class Latency {

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(3);
    private final Histogram total = new Histogram(3);

    void record(long micros) {
        recorder.recordValue(Math.max(0, micros));
    }

    /** Forgets what was recorded so far (the warm-up). */
    synchronized void reset() {
        recorder.getIntervalHistogram();
        total.reset();
    }

    synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.getTotalCount());
        p.put("p50Ms", millis(h.getValueAtPercentile(50)));
        p.put("p90Ms", millis(h.getValueAtPercentile(90)));
        p.put("p99Ms", millis(h.getValueAtPercentile(99)));
        p.put("p999Ms", millis(h.getValueAtPercentile(99.9)));
        p.put("maxMs", millis(h.getMaxValue()));
        return p;
    }

    static String brief(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "n=0";
        }
        return String.format(Locale.ROOT, "p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms",
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
