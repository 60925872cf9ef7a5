package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.store.redis.EmbeddedRedis;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Measurements on three Payara Micro members sharing an embedded Redis: push-to-receipt latency when
 * the push enters at the key's owner and when it enters at another member (issue 4), and the time
 * clients of moved keys spend without a subscription when a member joins, stops normally and is
 * killed (issue 13). Not an integration test (its name keeps it out of {@code mvn verify}):
 *
 * <pre>mvn -B -pl push-api,push-ejb,push-web verify -Dit.test=ClusterBenchmark -Dtest=none
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false</pre>
 *
 * Options: -Dbench.pushes=1000 (per entry kind and run) -Dbench.clients=300 -Dbench.rate=200 (stored
 * pushes per second during the failover). Results are appended to push-web/benchmarks/cluster.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBenchmark {

    private static final int RUNS = 3;
    private static final int PUSHES = Integer.getInteger("bench.pushes", 1000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 300);
    private static final int RATE = Integer.getInteger("bench.rate", 200);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long LAST_RETRY_MILLIS = 1000;
    private static final int MAX_ATTEMPTS = 60;
    private static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final StringBuilder REPORT = new StringBuilder();
    private static final String LOAD_BEFORE = loadAverage();

    @RegisterExtension
    static final MicroCluster CLUSTER = MicroCluster.of(3)
            .with("push.store", "redis")
            .with("push.redis.servers", "bench=" + REDIS.uri());

    private static final HttpClient SOCKETS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterAll
    static void writeResults() throws IOException {
        REDIS.close();
        if (REPORT.length() == 0) {
            return;
        }
        Path results = Path.of("benchmarks/cluster.md");
        Files.createDirectories(results.getParent());
        String header = String.format(Locale.ROOT,
                "%n## %s, %d cores, load average before the run %s, members -Xmx384m, commit %s%n%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                LOAD_BEFORE, commit());
        Files.writeString(results, header + REPORT, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println(header + REPORT);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static Map<String, String> owners(List<String> keys) {
        Map<String, String> owners = new HashMap<>();
        for (int from = 0; from < keys.size(); from += 100) {
            String query = keys.subList(from, Math.min(keys.size(), from + 100)).stream()
                    .map(key -> "k=" + Http.encode(key)).collect(Collectors.joining("&"));
            CLUSTER.member("m1").http().get("/1/admin/cluster?" + query).json().getJsonObject("data")
                    .getJsonObject("owners").forEach((key, owner) -> owners.put(key, ((JsonString) owner).getString()));
        }
        return owners;
    }

    /** A subscriber that records when each message ({@code {"n":N}}) arrived, and whether it is still open. */
    private static final class Subscriber implements WebSocket.Listener {
        final String key;
        final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        final CompletableFuture<String> firstReply = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        volatile long lastMid;
        /** System.nanoTime() when the server closed the connection (or it failed); 0 while open. */
        volatile long closedAt;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        Subscriber(String key) {
            this.key = key;
        }

        Subscriber connect(String hostPort) {
            try {
                socket = SOCKETS.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create("ws://" + hostPort + "/sub?key=" + Http.encode(key) + "&heartbeat=60&ver=1"), this)
                        .get(10, TimeUnit.SECONDS);
                String reply = firstReply.get(10, TimeUnit.SECONDS);
                if (!"+h\r\n".equals(reply)) {
                    throw new IllegalStateException(key + " at " + hostPort + " answered " + reply.strip());
                }
                return this;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("subscribing " + key + " at " + hostPort + " failed", e);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (!firstReply.isDone()) {
                    firstReply.complete(text);
                } else {
                    JsonObject frame = json(text);
                    long n = frame.getJsonObject("msg").getJsonNumber("n").longValueExact();
                    arrivals.put(n, now);
                    seen.add(n);
                    lastMid = Math.max(lastMid, frame.getJsonNumber("mid").longValueExact());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedAt = System.nanoTime();
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedAt = System.nanoTime();
            firstReply.completeExceptionally(error);
            closed.complete(null);
        }

        void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }

    @Test
    @Order(1)
    void pushLatencyAtTheOwnerAndAtAnotherMember() throws Exception {
        List<String> candidates = IntStream.range(0, 300).mapToObj(i -> "lat" + RUN + "-" + i).toList();
        Map<String, String> owners = owners(candidates);
        List<String> keys = new ArrayList<>();
        for (String member : List.of("m1", "m2", "m3")) {
            candidates.stream().filter(key -> owners.get(key).equals(member)).limit(10).forEach(keys::add);
        }
        Map<String, Subscriber> subscribers = new LinkedHashMap<>();
        for (String key : keys) {
            subscribers.put(key, new Subscriber(key).connect(CLUSTER.member(owners.get(key)).hostPort()));
        }
        List<String> names = List.of("m1", "m2", "m3");
        long n = 0;
        List<long[]> atOwner = new ArrayList<>();
        List<long[]> elsewhere = new ArrayList<>();
        try {
            for (int run = 0; run < RUNS + 1; run++) {
                long[] owner = new long[PUSHES];
                long[] other = new long[PUSHES];
                for (int i = 0; i < 2 * PUSHES; i++) {
                    String key = keys.get(i % keys.size());
                    boolean toOwner = i % 2 == 0;
                    String ownerName = owners.get(key);
                    String entry = toOwner ? ownerName
                            : names.stream().filter(name -> !name.equals(ownerName)).toList().get((i / 2) % 2);
                    Subscriber subscriber = subscribers.get(key);
                    long id = n++;
                    long sent = System.nanoTime();
                    Http.Reply reply = CLUSTER.member(entry).http()
                            .post("/1/admin/push/private?key=" + Http.encode(key) + "&expire=0", "{\"n\":" + id + "}");
                    assertEquals(0, reply.ret(), reply.body());
                    long deadline = sent + TimeUnit.SECONDS.toNanos(10);
                    while (!subscriber.arrivals.containsKey(id)) {
                        assertTrue(System.nanoTime() < deadline, "push " + id + " to " + key + " via " + entry + " never arrived");
                        Thread.onSpinWait();
                    }
                    long micros = (subscriber.arrivals.get(id) - sent) / 1000;
                    (toOwner ? owner : other)[i / 2] = micros;
                }
                if (run > 0) {
                    // the first run warms up the JIT of every member and is not reported
                    atOwner.add(owner);
                    elsewhere.add(other);
                }
            }
        } finally {
            subscribers.values().forEach(Subscriber::close);
        }
        REPORT.append(String.format(Locale.ROOT, "### Push-to-receipt latency, expire=0, one push at a time%n%n"
                + "%d pushes per entry kind and run, %d runs after a warm-up run; 30 WebSocket subscribers, 10 on each"
                + " member; the push is a JDK HttpClient POST to /1/admin/push/private, timed from before the POST"
                + " to the frame's arrival. Medians over the runs of each run's percentile, in ms.%n%n"
                + "| push enters at | p50 | p90 | p99 | p99.9 | max |%n| --- | --- | --- | --- | --- | --- |%n%s%s%n",
                PUSHES, RUNS, row("the key's owner", atOwner), row("another member (forwarded)", elsewhere)));
    }

    private static String row(String label, List<long[]> runs) {
        double[] quantiles = {0.5, 0.9, 0.99, 0.999, 1.0};
        StringBuilder row = new StringBuilder("| " + label + " |");
        for (double q : quantiles) {
            long[] perRun = runs.stream().mapToLong(samples -> percentile(samples, q)).sorted().toArray();
            row.append(String.format(Locale.ROOT, " %.2f |", perRun[perRun.length / 2] / 1000.0));
        }
        return row.append('\n').toString();
    }

    private static long percentile(long[] samples, double q) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /**
     * Keys move when a member joins, stops normally (SIGTERM) and is killed (SIGKILL): for each, the
     * time the clients of moved keys spend without a subscription (from the close of their connection
     * to {@code +h} at the new owner, fetch included), and that no push answered with ret 0 is lost.
     */
    @Test
    @Order(2)
    void timeWithoutASubscriptionWhenKeysMove() throws Exception {
        List<long[]> gaps = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        MicroMember[] joined = new MicroMember[1];
        rows.add(move("a member joins", "jn", () -> joined[0] = CLUSTER.join(Map.of()), gaps));
        rows.add(move("a member stops (SIGTERM)", "lv", () -> assertTrue(joined[0].stop(MicroCluster.STOP_GRACE),
                "the member stopped by itself"), gaps));
        rows.add(move("a member is killed (SIGKILL)", "kl", () -> assertEquals(137, CLUSTER.member("m2").kill(), "SIGKILL"),
                gaps));
        REPORT.append(String.format(Locale.ROOT, "### Keys moving: time without a subscription%n%n"
                + "%d subscribers on distinct keys; stored pushes (expire=600) at %d/s through the running members"
                + " in turn, 3 s before and 10 s after the event. A dropped client looks its node"
                + " up again at a running member (/1/server/get), subscribes there and fetches /1/msg/get from its"
                + " last mid; on a refusal or a failed connect it retries after %d ms, doubling up to %d ms, with"
                + " jitter. The gap is from the close of its connection until it is subscribed again and has"
                + " fetched, in ms.%n%n"
                + "| event | clients moved | gap: first | median | last | pushes answered 0 | lost |%n"
                + "| --- | --- | --- | --- | --- | --- | --- |%n%s%n",
                CLIENTS, RATE, FIRST_RETRY_MILLIS, LAST_RETRY_MILLIS, String.join("", rows)));
    }

    /** Runs one event under a stream of stored pushes and returns its row of the report. */
    private String move(String label, String prefix, Runnable event, List<long[]> gaps) throws Exception {
        List<String> keys = IntStream.range(0, CLIENTS).mapToObj(i -> prefix + RUN + "-" + i).toList();
        Map<String, String> before = owners(keys);
        Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
        for (String key : keys) {
            subscribers.put(key, new Subscriber(key).connect(CLUSTER.member(before.get(key)).hostPort()));
        }
        Map<String, Set<Long>> accepted = new ConcurrentHashMap<>();
        keys.forEach(key -> accepted.put(key, ConcurrentHashMap.newKeySet()));
        Map<String, Long> recoveredAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService clients = Executors.newScheduledThreadPool(8);
        try {
            for (String key : keys) {
                subscribers.get(key).closed.thenRun(() -> clients.execute(() -> recover(key, subscribers,
                        clients, 0, recoveredAt, failures)));
            }
            long pushesBefore = 3L * RATE;
            long pushesAfter = 10L * RATE;
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / RATE;
            long start = System.nanoTime();
            CompletableFuture<Void> happened = null;
            List<MicroMember> entries = CLUSTER.members();
            for (long i = 0; i < pushesBefore + pushesAfter; i++) {
                if (i == pushesBefore) {
                    happened = CompletableFuture.runAsync(event);
                }
                if (happened != null && happened.isDone()) {
                    entries = CLUSTER.members();
                }
                String key = keys.get((int) (i % keys.size()));
                MicroMember entry = entries.get((int) (i % entries.size()));
                if (!entry.isRunning()) {
                    continue;
                }
                try {
                    Http.Reply reply = entry.http().post("/1/admin/push/private?key=" + Http.encode(key)
                            + "&expire=600", "{\"n\":" + i + "}");
                    if (reply.ret() == 0) {
                        accepted.get(key).add(i);
                    }
                } catch (RuntimeException e) {
                    // the entry is the member that stops: not accepted, so nothing to find later
                }
                long wait = start + (i + 1) * intervalNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            happened.get(2, TimeUnit.MINUTES);
            List<String> moved = keys.stream().filter(key -> subscribers.get(key).closedAt != 0
                    || recoveredAt.containsKey(key)).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (moved.stream().anyMatch(key -> !recoveredAt.containsKey(key)) && failures.isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(failures.isEmpty(), "clients that gave up: " + failures);
            Thread.sleep(1000);
            long lost = 0;
            for (String key : keys) {
                Set<Long> missing = new TreeSet<>(accepted.get(key));
                missing.removeAll(subscribers.get(key).seen);
                lost += missing.size();
            }
            long[] gap = moved.stream().mapToLong(key -> (recoveredAt.get(key) - firstClose.get(key)) / 1000).toArray();
            gaps.add(gap);
            long acceptedCount = accepted.values().stream().mapToLong(Set::size).sum();
            assertEquals(0, lost, label + ": no push answered 0 is lost");
            return String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %d | %d |%n", label, moved.size(),
                    percentile(gap, 0) / 1000.0, percentile(gap, 0.5) / 1000.0, percentile(gap, 1.0) / 1000.0,
                    acceptedCount, lost);
        } finally {
            clients.shutdownNow();
            subscribers.values().forEach(Subscriber::close);
        }
    }

    /** When each key's client first lost its subscription in the current event. */
    private static final Map<String, Long> firstClose = new ConcurrentHashMap<>();

    /** What a client does when its connection drops: look up, subscribe, fetch; again after a pause if that fails. */
    private static void recover(String key, Map<String, Subscriber> subscribers, ScheduledExecutorService clients,
            int attempt, Map<String, Long> recoveredAt, ConcurrentLinkedQueue<String> failures) {
        Subscriber previous = subscribers.get(key);
        if (attempt == 0) {
            firstClose.put(key, previous.closedAt);
        }
        List<MicroMember> running = CLUSTER.members();
        MicroMember asked = running.get(ThreadLocalRandom.current().nextInt(running.size()));
        try {
            JsonObject lookup = asked.http().get("/1/server/get?k=" + Http.encode(key) + "&p=1").json();
            String server = lookup.getJsonObject("data").getString("server");
            Subscriber next = new Subscriber(key);
            next.seen.addAll(previous.seen);
            long fetchFrom = previous.lastMid;
            next.lastMid = fetchFrom;
            next.connect(server);
            subscribers.put(key, next);
            next.closed.thenRun(() -> clients.execute(() -> recover(key, subscribers, clients, 0, recoveredAt, failures)));
            // from the last mid before this connection: frames it already delivered may have newer mids
            JsonObject missed = asked.http().get("/1/msg/get?k=" + Http.encode(key) + "&m=" + fetchFrom).json();
            if (missed.containsKey("data")) {
                for (JsonValue message : missed.getJsonObject("data").getJsonArray("msgs")) {
                    JsonObject stored = message.asJsonObject();
                    next.seen.add(stored.getJsonObject("msg").getJsonNumber("n").longValueExact());
                    next.lastMid = Math.max(next.lastMid, stored.getJsonNumber("mid").longValueExact());
                }
            }
            recoveredAt.put(key, System.nanoTime());
        } catch (RuntimeException e) {
            if (attempt >= MAX_ATTEMPTS) {
                failures.add(key + ": " + e);
                return;
            }
            long pause = Math.min(FIRST_RETRY_MILLIS << Math.min(attempt, 10), LAST_RETRY_MILLIS);
            long jittered = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
            clients.schedule(() -> recover(key, subscribers, clients, attempt + 1, recoveredAt, failures),
                    jittered, TimeUnit.MILLISECONDS);
        }
    }
}
