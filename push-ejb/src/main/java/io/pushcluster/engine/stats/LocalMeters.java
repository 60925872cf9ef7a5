package io.pushcluster.engine.stats;

import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Snapshot;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Measurements kept in memory only, for unit tests and tools that run the engine without a server:
 * counts exactly; timers keep their count, total and maximum (no percentiles).
 */
public final class LocalMeters implements Meters {

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String description, Tag... tags) {
        return counters.computeIfAbsent(id(name, tags), id -> new LocalCounter());
    }

    @Override
    public Timer timer(String name, String description, Tag... tags) {
        return timers.computeIfAbsent(id(name, tags), id -> new LocalTimer());
    }

    @Override
    public void gauge(String name, String description, LongSupplier value, Tag... tags) {
        gauges.put(id(name, tags), value);
    }

    /** A gauge's value now, or -1 when none has that name and tags. */
    public long gaugeValue(String name, Tag... tags) {
        LongSupplier gauge = gauges.get(id(name, tags));
        return gauge == null ? -1 : gauge.getAsLong();
    }

    private static String id(String name, Tag... tags) {
        return name + Arrays.toString(tags);
    }

    private static final class LocalCounter implements Counter {
        private final LongAdder count = new LongAdder();

        @Override
        public void inc() {
            count.increment();
        }

        @Override
        public void inc(long n) {
            count.add(n);
        }

        @Override
        public long getCount() {
            return count.sum();
        }
    }

    private static final class LocalTimer implements Timer {
        private final LongAdder count = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();
        private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

        @Override
        public void update(Duration duration) {
            long nanos = duration.toNanos();
            count.increment();
            totalNanos.add(nanos);
            maxNanos.accumulate(nanos);
        }

        @Override
        public <T> T time(Callable<T> event) throws Exception {
            long start = System.nanoTime();
            try {
                return event.call();
            } finally {
                update(Duration.ofNanos(System.nanoTime() - start));
            }
        }

        @Override
        public void time(Runnable event) {
            long start = System.nanoTime();
            try {
                event.run();
            } finally {
                update(Duration.ofNanos(System.nanoTime() - start));
            }
        }

        @Override
        public Context time() {
            long start = System.nanoTime();
            return new Context() {
                @Override
                public long stop() {
                    long elapsed = System.nanoTime() - start;
                    update(Duration.ofNanos(elapsed));
                    return elapsed;
                }

                @Override
                public void close() {
                    stop();
                }
            };
        }

        @Override
        public Duration getElapsedTime() {
            return Duration.ofNanos(totalNanos.sum());
        }

        @Override
        public long getCount() {
            return count.sum();
        }

        @Override
        public Snapshot getSnapshot() {
            long n = count.sum();
            double mean = n == 0 ? 0 : totalNanos.sum() / (double) n;
            double max = maxNanos.get();
            return new Snapshot() {
                @Override
                public long size() {
                    return n;
                }

                @Override
                public double getMax() {
                    return max;
                }

                @Override
                public double getMean() {
                    return mean;
                }

                @Override
                public PercentileValue[] percentileValues() {
                    return new PercentileValue[0];
                }

                @Override
                public void dump(OutputStream output) {
                    // nothing sampled to dump
                }
            };
        }
    }
}
