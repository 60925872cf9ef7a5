package io.pushcluster.engine.store;

import io.pushcluster.engine.config.RedisSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.jpa.EmbeddedDatabase;
import io.pushcluster.engine.store.jpa.LocalTransactionStore;
import io.pushcluster.engine.store.redis.EmbeddedRedis;
import io.pushcluster.engine.store.redis.RedisMessageStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Throughput of every store backend: single-key saves, reads of 20 stored messages, multi-key saves
 * of 100 keys, each run by several threads for a fixed time, three times, reporting the median.
 * Not a unit test (its name keeps it out of the default test run). Run it with:
 *
 * <pre>mvn -B -pl push-api,push-ejb verify -Dtest=StoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Options: -Dbench.seconds=5 -Dbench.threads=4 -Dbench.backends=jpa-h2,jpa-h2-file,jpa-postgres,jpa-mariadb,redis,redis-2
 * -Dbench.h2.options=;KEY=VALUE adds settings to the jpa-h2-file URL. Results are appended to push-ejb/benchmarks/store.md.
 */
class StoreBenchmark {

    private static final int CAP = 20;
    private static final int READ_KEYS = 2_000;
    private static final int WRITE_KEYS = 10_000;
    private static final int MULTI = 100;
    private static final int RUNS = 3;
    private static final String MESSAGE = "{\"type\":\"chat\",\"from\":\"alice\",\"text\":\"a message of about a hundred bytes, as pushes go\"}";

    private final int seconds = Integer.getInteger("bench.seconds", 5);
    private final int threads = Integer.getInteger("bench.threads", 4);
    private final List<String> backends = Arrays.asList(
            System.getProperty("bench.backends", "jpa-h2,jpa-postgres,jpa-mariadb,redis,redis-2").split(","));
    private final AtomicLong mids = new AtomicLong(Instant.now().toEpochMilli() * 1000);

    /** One backend under test and what to close after it. */
    private record Backend(String name, MessageStore store, AutoCloseable resources) {
    }

    @Test
    void measure() throws Exception {
        List<String> rows = new ArrayList<>();
        for (String name : backends) {
            try (AutoCloseable closer = open(name.strip())) {
                Backend backend = current;
                rows.add(measure(backend));
                System.out.println(rows.get(rows.size() - 1));
            }
        }
        append(rows);
    }

    private Backend current;

    private AutoCloseable open(String name) {
        switch (name) {
            case "jpa-h2", "jpa-h2-file", "jpa-postgres", "jpa-mariadb" -> {
                EmbeddedDatabase database = switch (name) {
                    case "jpa-h2" -> EmbeddedDatabase.h2();
                    case "jpa-h2-file" -> EmbeddedDatabase.h2File(temporaryDirectory(),
                            System.getProperty("bench.h2.options", ""));
                    case "jpa-postgres" -> EmbeddedDatabase.postgres();
                    default -> EmbeddedDatabase.mariaDb();
                };
                LocalTransactionStore store = database.store(CAP).emptied();
                current = new Backend(name, store, () -> {
                    store.close();
                    database.close();
                });
            }
            case "redis", "redis-2" -> {
                List<EmbeddedRedis> servers = new ArrayList<>();
                List<String> uris = new ArrayList<>();
                for (int i = 0; i < ("redis".equals(name) ? 1 : 2); i++) {
                    EmbeddedRedis redis = EmbeddedRedis.start();
                    servers.add(redis);
                    uris.add("r" + i + "=" + redis.uri());
                }
                Map<String, String> settings = Map.of(RedisSettings.SERVERS, String.join(",", uris),
                        PushSettings.STORE_CAP, Integer.toString(CAP));
                RedisMessageStore store = new RedisMessageStore(
                        new PushSettings(key -> Optional.ofNullable(settings.get(key))));
                current = new Backend(name, store, () -> servers.forEach(EmbeddedRedis::close));
            }
            default -> throw new IllegalArgumentException("unknown backend " + name);
        }
        return current.resources();
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory(Path.of("target"), "h2-file-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String measure(Backend backend) {
        MessageStore store = backend.store();
        long now = System.currentTimeMillis();
        List<String> readKeys = keys("read-", READ_KEYS);
        for (int i = 0; i < CAP; i++) {
            for (int from = 0; from < READ_KEYS; from += 500) {
                store.saveForKeys(readKeys.subList(from, from + 500), message(now));
            }
        }
        List<String> writeKeys = keys("write-", WRITE_KEYS);
        run(store, s -> s.save(pick(writeKeys), message(now)), 1);
        double saves = median(() -> run(store, s -> s.save(pick(writeKeys), message(now)), seconds));
        double reads = median(() -> run(store, s -> assertEquals(CAP, s.messagesAfter(pick(readKeys), 0, now).size()),
                seconds));
        double multis = median(() -> run(store, s -> {
            Set<String> some = new LinkedHashSet<>(MULTI);
            while (some.size() < MULTI) {
                some.add(pick(writeKeys));
            }
            s.saveForKeys(some, message(now));
        }, seconds));
        return String.format("| %s | %,.0f | %,.0f | %,.0f | %,.0f |", backend.name(), saves, reads, multis,
                multis * MULTI);
    }

    private StoredMessage message(long now) {
        return new StoredMessage(mids.incrementAndGet(), 0, MESSAGE, now + 3_600_000);
    }

    private static List<String> keys(String prefix, int count) {
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    private static String pick(List<String> keys) {
        return keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
    }

    /** Operations per second of the operation run by every thread for the given time. */
    private double run(MessageStore store, Consumer<MessageStore> operation, int runSeconds) {
        LongAdder done = new LongAdder();
        long deadline = System.nanoTime() + runSeconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    operation.accept(store);
                    done.increment();
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            try {
                worker.join(runSeconds * 1_000L + 60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return done.sum() / (double) runSeconds;
    }

    private static double median(java.util.function.DoubleSupplier measurement) {
        double[] results = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            results[i] = measurement.getAsDouble();
        }
        Arrays.sort(results);
        return results[RUNS / 2];
    }

    private void append(List<String> rows) throws IOException {
        Path file = Path.of("benchmarks", "store.md");
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file)) {
            text.append("# Store benchmark results\n\nProduced by `StoreBenchmark` (see its javadoc for the command). ")
                    .append("Each figure is the median of ").append(RUNS).append(" runs; the store runs in the ")
                    .append("test JVM (JPA in Java SE with EclipseLink, as in Payara), the database or Redis ")
                    .append("on the same machine.\n");
        }
        long memoryGib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        text.append("\n## ").append(Instant.now()).append(", commit ").append(commit())
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(memoryGib).append(" GiB, Java ").append(Runtime.version().feature()).append(", ")
                .append(threads).append(" threads, ").append(seconds).append(" s per run\n\n")
                .append("| backend | saves/s | reads of 20/s | multi-key saves of 100 keys/s | rows written/s in multi |\n")
                .append("| --- | ---: | ---: | ---: | ---: |\n");
        rows.forEach(row -> text.append(row).append('\n'));
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
