package io.pushcluster.web.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Payara Micro process of a {@link MicroCluster}: the java process itself (started without a
 * shell, so its pid is the JVM's), its ports on 127.0.0.1, its root directory and its log (stdout and
 * stderr together).
 */
final class MicroMember {

    /** Payara prints its view of the data grid (the Hazelcast members) after every membership change. */
    private static final Pattern DATA_GRID_SIZE = Pattern.compile("DG Size: (\\d+)");
    private static final Pattern MEMBER_REMOVED = Pattern.compile("Data Grid Instance Removed");

    private final String name;
    private final int httpPort;
    private final int hazelcastPort;
    private final int tcpPort;
    private final Path log;
    private final Process process;
    private Http http;
    private final long launchedNanos;
    private volatile Duration bootTime;

    private MicroMember(String name, int httpPort, int hazelcastPort, int tcpPort, Path log, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.hazelcastPort = hazelcastPort;
        this.tcpPort = tcpPort;
        this.log = log;
        this.process = process;
        this.launchedNanos = System.nanoTime();
    }

    static MicroMember launch(String name, int httpPort, int hazelcastPort, int tcpPort, Path log, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new MicroMember(name, httpPort, hazelcastPort, tcpPort, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start member " + name, e);
        }
    }

    String name() {
        return name;
    }

    int httpPort() {
        return httpPort;
    }

    int hazelcastPort() {
        return hazelcastPort;
    }

    /** The port of its TCP subscribe listener (push.tcp.bind). */
    int tcpPort() {
        return tcpPort;
    }

    /** {@code 127.0.0.1:httpPort}, the address /1/server/get answers for this member (push.public.websocket). */
    String hostPort() {
        return "127.0.0.1:" + httpPort;
    }

    URL url() {
        try {
            return new URL("http://" + hostPort() + "/");
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One client per member, kept: each Http owns an HttpClient and its threads. */
    synchronized Http http() {
        if (http == null) {
            http = new Http(url());
        }
        return http;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return log;
    }

    boolean isRunning() {
        return process.isAlive();
    }

    /** From launch until the application first answered; null while it has not. */
    Duration bootTime() {
        return bootTime;
    }

    void recordBootTime() {
        if (bootTime == null) {
            bootTime = Duration.ofNanos(System.nanoTime() - launchedNanos);
        }
    }

    /** The number of data grid members in the latest view this member logged, if it logged one yet. */
    OptionalInt dataGridSize() {
        Matcher matcher = DATA_GRID_SIZE.matcher(log());
        OptionalInt latest = OptionalInt.empty();
        while (matcher.find()) {
            latest = OptionalInt.of(Integer.parseInt(matcher.group(1)));
        }
        return latest;
    }

    /** How many times this member logged that another member left the data grid. */
    int membersRemoved() {
        return (int) MEMBER_REMOVED.matcher(log()).results().count();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook runs, the member leaves the
     * data grid without a word. Returns the exit status once the process is gone (137 = 128 + SIGKILL).
     */
    int kill() {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(10));
    }

    /**
     * SIGTERM: Payara's shutdown hook undeploys and leaves the data grid. A member still running after
     * the grace period is killed. Returns whether it exited by itself.
     */
    boolean stop(Duration grace) {
        terminate();
        if (exitsWithin(grace)) {
            return true;
        }
        kill();
        return false;
    }

    /** Sends SIGTERM and returns at once; see {@link #exitsWithin(Duration)}. */
    void terminate() {
        process.destroy();
    }

    boolean exitsWithin(Duration limit) {
        try {
            return process.waitFor(Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("member " + name + " (pid " + pid() + ") still runs after " + limit);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for member " + name + " to exit", e);
        }
    }

    /** The owner (member name) of each key, as this member's {@code /1/admin/cluster} tells it. */
    java.util.Map<String, String> owners(List<String> keys) {
        String query = keys.stream().map(key -> "k=" + Http.encode(key)).collect(java.util.stream.Collectors.joining("&"));
        java.util.Map<String, String> owners = new java.util.LinkedHashMap<>();
        http().get("/1/admin/cluster?" + query).json().getJsonObject("data").getJsonObject("owners")
                .forEach((key, owner) -> owners.put(key, ((jakarta.json.JsonString) owner).getString()));
        return owners;
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", http " + httpPort + ", hazelcast " + hazelcastPort + ", tcp " + tcpPort + ")";
    }
}
