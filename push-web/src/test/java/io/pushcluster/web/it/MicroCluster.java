package io.pushcluster.web.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * N real Payara Micro processes with the WAR the build produced, forming one Hazelcast cluster on
 * 127.0.0.1 (tcpip discovery over the members' own Hazelcast ports, a cluster name of this run only,
 * so that concurrent runs never merge).
 *
 * <p>As a JUnit extension ({@code @RegisterExtension static final MicroCluster CLUSTER =
 * MicroCluster.of(2).with(...)}) it starts the members before the class's tests and stops every one of
 * them afterwards, also when a test or the start failed; a failing test gets the tail of every member's
 * log attached. Without the extension, call {@link #start()} and {@link #close()}.
 *
 * <p>Each member gets its own root directory and log under {@code java.io.tmpdir/<cluster name>/}
 * (target/it-tmp under failsafe), free ports for HTTP, Hazelcast and TCP subscribers, and the settings
 * {@code push.node.name} (m1, m2, ...), {@code push.public.websocket} (its HTTP address),
 * {@code push.tcp.bind} and the WebSocket and HTTP listeners of our own off (unless
 * {@link #withDefaultListeners()}), then the cluster's settings, then its own, as system properties.
 */
final class MicroCluster implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler, AutoCloseable {

    /** Several members booting at once on two cores take 30-60 s; one alone about 15 s. */
    static final Duration BOOT_LIMIT = Duration.ofSeconds(240);
    static final Duration MEMBERSHIP_LIMIT = Duration.ofSeconds(60);
    static final Duration STOP_GRACE = Duration.ofSeconds(60);
    /**
     * Hazelcast suspects a member that sent no heartbeat for this long (default 60 s). A killed
     * process on this host is noticed sooner, from its refused connections (under a second); this bounds
     * the case of a member that hangs.
     */
    static final int NO_HEARTBEAT_SECONDS = 5;
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration POLL = Duration.ofMillis(200);

    private final int initialSize;
    private boolean defaultListeners;
    private final List<Integer> takenOffsets = new ArrayList<>();
    private final List<ServerSocket> taken = new CopyOnWriteArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final String clusterName = "push-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path directory = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().resolve(clusterName);
    private final Path microJar = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")).toAbsolutePath();
    private final Path war = Path.of(System.getProperty("push.war", "target/push-web.war")).toAbsolutePath();
    private final Path prebootFile = Path.of(System.getProperty("push.prebootFile",
            "../server-config/micro/loopback.asadmin")).toAbsolutePath();
    private final List<MicroMember> launched = new CopyOnWriteArrayList<>();
    private final Set<Integer> portsGiven = new HashSet<>();
    private final HttpClient probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread killOnExit = new Thread(this::killAll, "kill members of " + clusterName);

    private MicroCluster(int initialSize) {
        this.initialSize = initialSize;
    }

    /** A cluster that {@link #start()} starts with this many members. */
    static MicroCluster of(int initialSize) {
        if (initialSize < 1) {
            throw new IllegalArgumentException("a cluster needs a member: " + initialSize);
        }
        return new MicroCluster(initialSize);
    }

    /**
     * Members get no listener settings at all: no {@code push.tcp.bind}, {@code push.websocket.bind},
     * {@code push.http.bind} or {@code push.public.websocket}, so that each listens where the defaults
     * say (its HTTP port + 1000, + 2000, + 3000); their HTTP ports are picked so that those are free.
     * Without this, members have the WebSocket and HTTP listeners of our own off unless a setting
     * turns them on, as the tests were written for.
     */
    MicroCluster withDefaultListeners() {
        defaultListeners = true;
        return this;
    }

    /**
     * With {@link #withDefaultListeners()}: before each member starts, this cluster binds its HTTP port +
     * {@code offset} on 127.0.0.1 and holds it until {@link #close()}, as another process holding the
     * address a default listener derives would.
     */
    MicroCluster takingDerivedPort(int offset) {
        takenOffsets.add(offset);
        return this;
    }

    /** A setting (system property) every member gets, for example {@code push.store}. */
    MicroCluster with(String name, String value) {
        settings.put(name, value);
        return this;
    }

    String clusterName() {
        return clusterName;
    }

    /**
     * Launches the initial members at once and returns when each answers {@code GET /1/time/get} and
     * each logged a data grid of all of them. On failure every member is stopped and the error carries
     * the tail of their logs.
     */
    void start() {
        if (!launched.isEmpty()) {
            throw new IllegalStateException("cluster " + clusterName + " was started already");
        }
        Runtime.getRuntime().addShutdownHook(killOnExit);
        List<Integer> hazelcastPorts = Stream.generate(this::freePort).limit(initialSize).toList();
        String memberList = memberList(hazelcastPorts);
        List<MicroMember> members = new ArrayList<>();
        try {
            for (int port : hazelcastPorts) {
                members.add(launch(port, memberList, Map.of()));
            }
            awaitAnswering(members);
            awaitSize(initialSize);
        } catch (RuntimeException | Error e) {
            e.addSuppressed(new AssertionError(logTails()));
            try {
                close();
            } catch (RuntimeException | Error stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        System.out.println("cluster " + clusterName + " formed: " + bootTimes(members));
    }

    /**
     * Starts one more member, which finds the running ones by their Hazelcast ports, and returns when it
     * answers and every running member logged the grown data grid. Its settings come after the cluster's.
     */
    MicroMember join(Map<String, String> memberSettings) {
        if (launched.isEmpty()) {
            throw new IllegalStateException("cluster " + clusterName + " was not started");
        }
        int hazelcastPort = freePort();
        List<Integer> ports = new ArrayList<>(members().stream().map(MicroMember::hazelcastPort).toList());
        ports.add(hazelcastPort);
        MicroMember member = launch(hazelcastPort, memberList(ports), memberSettings);
        try {
            awaitAnswering(List.of(member));
            awaitSize(ports.size());
        } catch (RuntimeException | Error e) {
            e.addSuppressed(new AssertionError(logTails()));
            member.kill();
            throw e;
        }
        System.out.println("cluster " + clusterName + ": " + bootTimes(List.of(member)) + " joined");
        return member;
    }

    /** The members whose process runs, in the order they were started. */
    List<MicroMember> members() {
        return launched.stream().filter(MicroMember::isRunning).toList();
    }

    /** A member by name (m1, m2, ...), running or not. */
    MicroMember member(String name) {
        return launched.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + name + " in " + launched));
    }

    /**
     * Waits until exactly {@code size} members run and the latest data grid view each of them logged
     * has that size; returns how long that took. Fails after {@link #MEMBERSHIP_LIMIT}.
     */
    Duration awaitSize(int size) {
        long start = System.nanoTime();
        long deadline = start + MEMBERSHIP_LIMIT.toNanos();
        while (true) {
            List<MicroMember> running = members();
            boolean agreed = running.size() == size
                    && running.stream().allMatch(m -> m.dataGridSize().orElse(0) == size);
            if (agreed) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (running.size() < size || System.nanoTime() > deadline) {
                throw new AssertionError("expected a data grid of " + size + " members in " + MEMBERSHIP_LIMIT
                        + "; running " + running.size() + ", views " + running.stream()
                        .map(m -> m.name() + "=" + m.dataGridSize()).collect(Collectors.joining(", ")));
            }
            pause();
        }
    }

    /** The last lines of every member's log, for a failure message. */
    String logTails() {
        return launched.stream()
                .map(m -> "---- " + m + (m.isRunning() ? "" : " (exited)") + ", log " + m.logFile() + " ----\n"
                        + m.logTail(LOG_TAIL_LINES))
                .collect(Collectors.joining("\n", "logs of cluster " + clusterName + ":\n", ""));
    }

    /**
     * Stops every running member (SIGTERM to all, SIGKILL to any still running after
     * {@link #STOP_GRACE}), checks that no process of this cluster is left, and deletes the members'
     * root directories (the logs stay).
     */
    @Override
    public void close() {
        List<MicroMember> running = members();
        running.forEach(MicroMember::terminate);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        List<String> killed = new ArrayList<>();
        for (MicroMember member : running) {
            if (!member.exitsWithin(Duration.ofNanos(deadline - System.nanoTime()))) {
                member.kill();
                killed.add(member.name());
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNeverStarted) {
            // nothing to remove
        }
        launched.forEach(m -> deleteTree(directory.resolve(m.name())));
        for (ServerSocket socket : taken) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the port is given back either way when this JVM ends
            }
        }
        List<ProcessHandle> leftovers = processesOfThisCluster();
        leftovers.forEach(ProcessHandle::destroyForcibly);
        if (!leftovers.isEmpty()) {
            throw new AssertionError("processes of cluster " + clusterName + " left after stopping: "
                    + leftovers.stream().map(ProcessHandle::pid).toList());
        }
        if (!killed.isEmpty()) {
            System.out.println("cluster " + clusterName + ": killed " + killed + ", still running after " + STOP_GRACE);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        failure.addSuppressed(new AssertionError(logTails()));
        throw failure;
    }

    private MicroMember launch(int hazelcastPort, String memberList, Map<String, String> memberSettings) {
        String name = "m" + (launched.size() + 1);
        int httpPort = defaultListeners ? freePortWithDerived() : freePort();
        int tcpPort = defaultListeners ? httpPort + 3000 : freePort();
        takenOffsets.forEach(offset -> take(httpPort + offset));
        Path memberDirectory = directory.resolve(name);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("push.node.name", name);
        if (!defaultListeners) {
            properties.put("push.public.websocket", "127.0.0.1:" + httpPort);
            properties.put("push.tcp.bind", "127.0.0.1:" + tcpPort);
            properties.put("push.websocket.bind", "off");
            properties.put("push.http.bind", "off");
        }
        properties.putAll(settings);
        properties.putAll(memberSettings);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.net.preferIPv4Stack=true",
                "-Djava.io.tmpdir=" + memberDirectory,
                "-Dhazelcast.socket.bind.any=false",
                "-Dh2.bindAddress=127.0.0.1",
                "-Dhazelcast.phone.home.enabled=false",
                "-Dhazelcast.heartbeat.interval.seconds=1",
                "-Dhazelcast.max.no.heartbeat.seconds=" + NO_HEARTBEAT_SECONDS,
                // a member that was suspected (paused past the heartbeat timeout) and comes back forms a
                // data grid of its own; these merge it back within seconds instead of 5 minutes
                "-Dhazelcast.merge.first.run.delay.seconds=10",
                "-Dhazelcast.merge.next.run.delay.seconds=5"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of(
                "-jar", microJar.toString(),
                "--deploy", war.toString(),
                "--contextroot", "/",
                "--name", name,
                "--rootdir", memberDirectory.resolve("root").toString(),
                "--port", Integer.toString(httpPort),
                "--interfaces", "127.0.0.1",
                "--prebootcommandfile", prebootFile.toString(),
                "--clustername", clusterName,
                "--clustermode", "tcpip:" + memberList,
                "--startport", Integer.toString(hazelcastPort),
                // host-aware partitioning keeps backups off members with the same address: on loopback, off every member
                "--nohostaware",
                "--disablephonehome"));
        try {
            Files.createDirectories(memberDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MicroMember member = MicroMember.launch(name, httpPort, hazelcastPort, tcpPort, directory.resolve(name + ".log"),
                command);
        launched.add(member);
        return member;
    }

    private void take(int port) {
        try {
            taken.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not hold 127.0.0.1:" + port + " for the test", e);
        }
    }

    /** A free port of 127.0.0.1 that no member of this cluster was given yet. */
    private int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = Deployments.freePort();
            if (portsGiven.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port that this cluster does not use already");
    }

    /**
     * A free port P of 127.0.0.1, not given yet, with P + 1000, P + 2000 and P + 3000 free and not
     * given either: the addresses of the listeners a member derives from its HTTP port.
     */
    private int freePortWithDerived() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            List<Integer> all = List.of(port, port + 1000, port + 2000, port + 3000);
            if (all.stream().noneMatch(portsGiven::contains) && all.stream().allMatch(MicroCluster::isFree)) {
                portsGiven.addAll(all);
                return port;
            }
        }
        throw new IllegalStateException("no free port with its derived listener ports free too");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String memberList(List<Integer> hazelcastPorts) {
        return hazelcastPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    private void awaitAnswering(List<MicroMember> members) {
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        List<MicroMember> waiting = new ArrayList<>(members);
        while (!waiting.isEmpty()) {
            for (MicroMember member : List.copyOf(waiting)) {
                if (!member.isRunning()) {
                    throw new AssertionError("member " + member + " exited while booting");
                }
                if (member.log().contains("Exception while loading the app")) {
                    // Micro stays up, and says it is ready, when the application failed to deploy
                    throw new AssertionError("the application failed to deploy on " + member);
                }
                if (answers(member)) {
                    member.recordBootTime();
                    waiting.remove(member);
                }
            }
            if (!waiting.isEmpty() && System.nanoTime() > deadline) {
                throw new AssertionError("no answer from " + waiting + " within " + BOOT_LIMIT);
            }
            pause();
        }
    }

    private boolean answers(MicroMember member) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + member.hostPort() + "/1/time/get"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> reply = probe.send(request, HttpResponse.BodyHandlers.ofString());
            return reply.statusCode() == 200 && reply.body().contains("\"ret\":0");
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + member, e);
        }
    }

    private static String bootTimes(List<MicroMember> members) {
        return members.stream()
                .map(m -> String.format("%s answered after %.1f s", m, m.bootTime().toMillis() / 1000.0))
                .collect(Collectors.joining("; "));
    }

    private List<ProcessHandle> processesOfThisCluster() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(clusterName)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    private void killAll() {
        launched.forEach(m -> {
            if (m.isRunning()) {
                m.kill();
            }
        });
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
