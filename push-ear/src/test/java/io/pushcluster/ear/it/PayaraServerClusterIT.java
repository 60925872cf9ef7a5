package io.pushcluster.ear.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.store.redis.EmbeddedRedis;
import io.pushcluster.web.it.BoundedCommand;
import io.pushcluster.web.it.Http;
import io.pushcluster.web.it.PushFlow;
import io.pushcluster.web.it.injector.InjectingApplication;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EAR on a real Payara Server cluster, set up as an operator would with
 * server-config/payara-server/local-cluster.sh: a domain on free loopback ports whose deployment
 * group of two instances forms one data grid with the DAS, the EAR deployed to the group, both
 * instances on one Redis store, push-api.jar on the common class path and, deployed to the group
 * beside the EAR, another application that injects {@code PushService}.
 */
class PayaraServerClusterIT {

    private static final int INSTANCES = 2;
    private static final String GROUP = "push-group";

    private static Path clusterDir;
    private static int portBase;
    private static EmbeddedRedis redis;
    private static final List<Http> instances = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws IOException {
        clusterDir = Path.of(System.getProperty("push.clusterDir"));
        deleteRecursively(clusterDir);
        Files.createDirectories(clusterDir);
        redis = EmbeddedRedis.start();
        Path settings = clusterDir.resolveSibling(clusterDir.getFileName() + ".properties");
        Files.writeString(settings, "push.store=redis\npush.redis.servers=local=" + redis.uri() + "\n");
        portBase = freePortBase();

        BoundedCommand.Outcome started = cluster(Duration.ofMinutes(15), Map.of("PUSH_SETTINGS", settings.toString()),
                "start", Integer.toString(INSTANCES));
        assertTrue(started.succeeded(), "local-cluster.sh start failed:\n" + tail(started.output()) + instanceLogTails());
        for (int i = 1; i <= INSTANCES; i++) {
            instances.add(new Http(URI.create("http://127.0.0.1:" + (portBase + 100 * i + 80) + "/").toURL()));
        }

        Path injector = clusterDir.resolveSibling("injector.war");
        InjectingApplication.onPayaraServer().as(ZipExporter.class).exportTo(injector.toFile(), true);
        BoundedCommand.Outcome deployed = asadmin(Duration.ofMinutes(5), "deploy", "--target", GROUP,
                "--name", "injector", "--contextroot", InjectingApplication.CONTEXT_ROOT, injector.toString());
        assertTrue(deployed.succeeded(), "deploying the injecting application failed:\n" + tail(deployed.output())
                + instanceLogTails());
    }

    @AfterAll
    static void stopCluster() throws IOException {
        try {
            if (clusterDir != null && portBase > 0) {
                cluster(Duration.ofMinutes(5), Map.of(), "stop");
                killWhatStillRuns();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void instancesAndDasFormOneDataGrid() {
        BoundedCommand.Outcome members = asadmin(Duration.ofMinutes(1), "list-hazelcast-cluster-members");
        assertTrue(members.succeeded(), members.output());
        List<String> rows = members.output().lines().filter(line -> line.contains("/127.0.0.1")).toList();
        assertEquals(INSTANCES + 1, rows.size(), members.output());
        assertTrue(rows.stream().anyMatch(row -> row.matches("server\\s+\\S+\\s+DAS\\s.*")), members.output());
        for (int i = 1; i <= INSTANCES; i++) {
            String instance = "push-" + i;
            assertTrue(rows.stream().anyMatch(row -> row.matches(instance + "\\s+\\S+\\s+INSTANCE\\s.*\\spush(\\s|,).*")),
                    instance + " is a member running the push application:\n" + members.output());
        }
    }

    @Test
    void theInstancesAreTheMembersOfOneRingAndTheDasIsNot() {
        List<String> ownersSeenFirst = null;
        for (Http instance : instances) {
            JsonObject data = instance.get("/1/admin/cluster?k=a&k=b&k=c&k=d&k=e&k=f&k=g&k=h").json().getJsonObject("data");
            List<String> names = data.getJsonArray("members").stream()
                    .map(card -> card.asJsonObject().getString("name")).sorted().toList();
            assertEquals(List.of("push-1", "push-2"), names, instance.hostPort() + " " + data);
            List<String> owners = data.getJsonObject("owners").values().stream().map(Object::toString).toList();
            if (ownersSeenFirst == null) {
                ownersSeenFirst = owners;
            }
            assertEquals(ownersSeenFirst, owners, "every instance assigns each key to the same owner");
            assertEquals("UP", Json.createReader(new StringReader(instance.get("/health/ready").body()))
                    .readObject().getString("status"), instance.hostPort());
        }
    }

    @Test
    void everyInstanceServesThePushFlowOnTheSharedStore() {
        for (Http instance : instances) {
            String key = "cluster-" + instance.port() + "-" + System.nanoTime();
            JsonObject server = instance.get("/1/server/get?k=" + key + "&p=1").json();
            assertEquals(0, server.getInt("ret"), server.toString());
            Http owner = instanceAt(server.getJsonObject("data").getString("server"));

            JsonObject message = PushFlow.received(owner, key, () -> owner.push(key, "{\"via\":\"admin\"}", 60));
            assertEquals(Json.createObjectBuilder().add("via", "admin").build(), message.get("msg"));
            long mid = message.getJsonNumber("mid").longValueExact();
            for (Http any : instances) {
                JsonArray stored = PushFlow.stored(any, key);
                assertEquals(1, stored.size(), any.hostPort() + " " + stored);
                assertEquals(mid, stored.getJsonObject(0).getJsonNumber("mid").longValueExact());
            }
        }
    }

    @Test
    void anotherApplicationOnEveryInstancePushesThroughTheInjectedPushService() {
        for (Http instance : instances) {
            String key = "injected-" + instance.port() + "-" + System.nanoTime();
            JsonObject server = instance.get("/1/server/get?k=" + key + "&p=1").json();
            Http owner = instanceAt(server.getJsonObject("data").getString("server"));
            // the subscriber is on the key's owner; the push enters through the application on this instance
            PushFlow.receivedFromInjectingApplication(instance, owner, key);
            // a public message, whichever instance orders the public stream, reaches the subscriber too
            PushFlow.publicReceivedFromInjectingApplication(instance, owner, key);
            PushFlow.groupReceivedFromInjectingApplication(instance, owner, key);
        }
    }

    /** local-cluster.sh lifts Grizzly's 250 requests per keep-alive connection on every instance. */
    @Test
    void aBackEndPushingOnOneKeepAliveConnectionIsAnsweredWithoutEnd() {
        for (Http instance : instances) {
            PushFlow.answersPushesOnOneConnection(instance.port(), 300);
        }
    }

    @Test
    void theDasAndEveryInstanceListenOnLoopbackOnly() {
        assertTrue(ListeningSockets.readable(), "this check reads Linux's /proc, as the cluster script needs Linux");
        for (long pid : clusterPids()) {
            List<String> sockets = ListeningSockets.of(pid);
            assertTrue(sockets.size() >= 3, "process " + pid + " listens on " + sockets);
            assertEquals(List.of(), sockets.stream().filter(socket -> !ListeningSockets.isLoopback(socket)).toList(),
                    "process " + pid + " listens beyond loopback");
        }
    }

    /**
     * The instance whose WebSocket listener of our own is at {@code hostPort}: by default (local-cluster.sh
     * sets no listener address) on its HTTP port + 1000, which {@code /1/server/get} names.
     */
    private static Http instanceAt(String hostPort) {
        return instances.stream().filter(instance -> ("127.0.0.1:" + (instance.port() + 1000)).equals(hostPort))
                .findFirst().orElseThrow(() -> new AssertionError(hostPort + " is no instance's WebSocket listener"));
    }

    /**
     * Every instance of the deployment group, started without any listener setting, opens the listeners
     * of our own on ports derived from its own HTTP port (no clash between the instances on this host):
     * a subscriber on the key owner's WebSocket listener gets what a back end pushes through any
     * instance's HTTP listener.
     */
    @Test
    void everyInstanceServesSubscribersOnTheListenersItOpensByDefault() {
        for (Http instance : instances) {
            String key = "listener-" + instance.port() + "-" + System.nanoTime();
            Http owner = instanceAt(instance.get("/1/server/get?k=" + key + "&p=1").json().getJsonObject("data")
                    .getString("server"));
            for (Http entry : instances) {
                Http httpListener = new Http(entry.port() + 2000);
                JsonObject message = PushFlow.received(new Http(owner.port() + 1000), key,
                        () -> httpListener.push(key, "{\"via\":\"" + entry.port() + "\"}", 0));
                assertEquals(Json.createObjectBuilder().add("via", Integer.toString(entry.port())).build(),
                        message.get("msg"), "pushed through " + httpListener.hostPort());
            }
        }
    }

    private static BoundedCommand.Outcome cluster(Duration limit, Map<String, String> settings, String... arguments) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("PAYARA_HOME", System.getProperty("push.payaraHome"));
        environment.put("AS_JAVA", System.getProperty("java.home"));
        environment.put("CLUSTER_DIR", clusterDir.toString());
        environment.put("PORT_BASE", Integer.toString(portBase));
        environment.put("PUSH_EAR", System.getProperty("push.ear"));
        environment.put("INSTANCE_JVM_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        List<String> command = new ArrayList<>(List.of("bash", System.getProperty("push.clusterScript")));
        command.addAll(List.of(arguments));
        return BoundedCommand.run(clusterDir, environment, limit,
                clusterDir.resolveSibling("local-cluster-" + arguments[0] + ".log"), command);
    }

    private static BoundedCommand.Outcome asadmin(Duration limit, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("push.payaraHome"), "bin", "asadmin").toString(),
                "--interactive=false", "--host", "127.0.0.1", "--port", Integer.toString(portBase + 48)));
        command.addAll(List.of(arguments));
        return BoundedCommand.run(clusterDir, Map.of("AS_JAVA", System.getProperty("java.home")), limit,
                clusterDir.resolveSibling("asadmin-" + arguments[0] + ".log"), command);
    }

    /** The DAS's and the instances' process ids, from the pid files Payara writes. */
    private static List<Long> clusterPids() {
        List<Path> pidFiles = new ArrayList<>(List.of(clusterDir.resolve("domains/push/config/pid")));
        for (int i = 1; i <= INSTANCES; i++) {
            pidFiles.add(clusterDir.resolve("nodes/push-node/push-" + i + "/config/pid"));
        }
        List<Long> pids = new ArrayList<>();
        for (Path pidFile : pidFiles) {
            try {
                pids.add(Long.parseLong(Files.readString(pidFile).trim()));
            } catch (IOException | NumberFormatException noProcess) {
                // a server that never started, or has stopped, leaves no pid file
            }
        }
        return pids;
    }

    /** Kills a server of this cluster that did not stop, and nothing else. */
    private static void killWhatStillRuns() {
        for (long pid : clusterPids()) {
            ProcessHandle.of(pid)
                    .filter(process -> process.info().commandLine().orElse("").contains(clusterDir.toString()))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * A base of free ports of 127.0.0.1 below the ephemeral range: the DAS uses base+0..99, instance i
     * base+100*i+0..99.
     */
    private static int freePortBase() {
        Random random = new Random();
        int span = 100 * (INSTANCES + 1);
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 10_000 + 100 * random.nextInt(220);
            if (IntStream.range(base, base + span).allMatch(PayaraServerClusterIT::isFree)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + span + " free ports of 127.0.0.1 in a row");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String instanceLogTails() {
        StringBuilder tails = new StringBuilder();
        for (int i = 1; i <= INSTANCES; i++) {
            Path log = clusterDir.resolve("nodes/push-node/push-" + i + "/logs/server.log");
            if (Files.exists(log)) {
                try {
                    tails.append("\n===== end of ").append(log).append('\n')
                            .append(tail(new String(Files.readAllBytes(log), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return tails.toString();
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
