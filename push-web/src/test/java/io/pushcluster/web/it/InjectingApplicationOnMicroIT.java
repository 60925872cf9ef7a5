package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.web.it.injector.InjectingApplication;
import jakarta.json.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Another application injects {@code PushService} by its JNDI name and pushes, on Payara Micro: one
 * Payara Micro runs push-web.war (at /) and the injecting application side by side, with push-api.jar
 * on its common class path ({@code --addLibs}), as the README tells operators to do.
 */
class InjectingApplicationOnMicroIT {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(240);

    private static Path work;
    private static Process micro;
    private static Http http;

    @BeforeAll
    static void startMicroWithBothApplications() throws IOException, InterruptedException {
        work = Path.of(System.getProperty("push.injectingWork"));
        deleteRecursively(work);
        Files.createDirectories(work.resolve("tmp"));
        Path pushWar = Path.of(System.getProperty("push.war"));
        Files.copy(pushWar, work.resolve("ROOT.war"));
        Path apiJar = copyApiJarOutOf(pushWar, work.resolve("push-api.jar"));
        Path injectorWar = work.resolve("injector.war");
        InjectingApplication.onPayaraMicro().as(ZipExporter.class).exportTo(injectorWar.toFile(), true);

        int port = Deployments.freePort();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dhazelcast.socket.bind.any=false", "-Dh2.bindAddress=127.0.0.1", "-Djava.net.preferIPv4Stack=true",
                "-Djava.io.tmpdir=" + work.resolve("tmp"),
                "-Dpush.tcp.bind=127.0.0.1:" + Deployments.freePort(),
                "-jar", System.getProperty("payara.microJar"),
                "--nohazelcast", "--interfaces", "127.0.0.1", "--disablephonehome",
                "--prebootcommandfile", System.getProperty("push.prebootFile"),
                "--port", Integer.toString(port),
                "--rootdir", work.resolve("micro-root").toString(),
                "--addLibs", apiJar.toString(),
                "--deploy", work.resolve("ROOT.war").toString(),
                "--deploy", injectorWar.toString());
        micro = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("micro.log").toFile()).start();
        http = new Http(URI.create("http://127.0.0.1:" + port + "/").toURL());
        awaitBothApplications();
    }

    @AfterAll
    static void stopMicro() throws InterruptedException {
        if (micro == null) {
            return;
        }
        micro.descendants().forEach(ProcessHandle::destroy);
        micro.destroy();
        if (!micro.waitFor(30, TimeUnit.SECONDS)) {
            micro.descendants().forEach(ProcessHandle::destroyForcibly);
            micro.destroyForcibly();
            micro.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anotherApplicationPushesThroughTheInjectedPushService() {
        String key = "injected-" + System.nanoTime();
        long mid = PushFlow.receivedFromInjectingApplication(http, http, key);
        JsonArray stored = PushFlow.stored(http, key);
        assertEquals(1, stored.size());
        assertEquals(mid, stored.getJsonObject(0).getJsonNumber("mid").longValueExact());
        long pmid = PushFlow.publicReceivedFromInjectingApplication(http, http, "injected-public-" + System.nanoTime());
        assertTrue(pmid > mid, "pmids and mids share one increasing space");
        PushFlow.groupReceivedFromInjectingApplication(http, http, "injected-group-" + System.nanoTime());
    }

    /** Micro says it is ready even when a deployment failed: both applications must answer. */
    private static void awaitBothApplications() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP_LIMIT);
        while (Instant.now().isBefore(deadline) && micro.isAlive()) {
            if (answers("/1/time/get", 200) && answers(InjectingApplication.CONTEXT_ROOT + "/push", 405)) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("Payara Micro did not serve both applications within " + STARTUP_LIMIT
                + (micro.isAlive() ? "" : " (it exited)") + "; its log ends with:\n" + tail(work.resolve("micro.log")));
    }

    private static boolean answers(String path, int status) {
        try {
            return http.get(path).status() == status;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** The self-contained WAR carries push-api; an operator may take it from there too. */
    private static Path copyApiJarOutOf(Path war, Path target) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            ZipEntry api = zip.stream()
                    .filter(entry -> entry.getName().matches("WEB-INF/lib/push-api-[^/]*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no push-api jar in " + war));
            try (InputStream in = zip.getInputStream(api)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
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
