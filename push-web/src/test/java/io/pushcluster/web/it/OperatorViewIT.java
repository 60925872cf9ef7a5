package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator sees of a running three-member cluster: Payara's {@code /metrics} with the push
 * server's counts, by transport, reason, kind and ret code, the same numbers in {@code /1/admin/stats},
 * the OpenAPI document at {@code /openapi}, and the dashboard in a browser (last: it kills a member).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorViewIT {

    private static final long WAIT = 10_000;
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    @RegisterExtension
    static final MicroCluster CLUSTER = MicroCluster.of(3).withDefaultListeners();

    private static MicroMember m1() {
        return CLUSTER.member("m1");
    }

    private static PrometheusText metrics(MicroMember member) {
        Http.Reply reply = member.http().get("/metrics");
        assertEquals(200, reply.status(), reply.body());
        return PrometheusText.parse(reply.body());
    }

    /** Keys owned by m1, so that its subscribers stay on it. */
    private static List<String> keysOfM1(int count) {
        List<String> candidates = IntStream.range(0, 40 * count).mapToObj(i -> "ov" + RUN + "-" + i).toList();
        Map<String, String> owners = m1().owners(candidates);
        List<String> owned = candidates.stream().filter(k -> owners.get(k).equals("m1")).limit(count).toList();
        assertEquals(count, owned.size(), "m1 owns too few keys");
        return owned;
    }

    @Test
    @Order(1)
    void metricsCountConnectionsPushesDeliveriesAndStoreOperationsByTheirLabels() {
        MicroMember m = m1();
        List<String> keys = keysOfM1(3);
        PrometheusText before = metrics(m);
        assertEquals("counter", before.types().get("push_pushes_total"), "counters are typed as counters");
        try (WsClient sub = WsClient.connect(m.http(), "key=" + keys.get(0) + "&heartbeat=30&ver=1");
                WsClient listener = WsClient.connect("127.0.0.1:" + (m.httpPort() + 1000),
                        "key=" + keys.get(1) + "&heartbeat=30&ver=1");
                TcpClient tcp = new TcpClient(m.httpPort() + 3000).subscribe("sub", keys.get(2), "30", "1")) {
            assertEquals("+h", sub.next(WAIT).trim());
            assertEquals("+h", listener.next(WAIT).trim());
            assertEquals("+h", tcp.nextReply(WAIT).trim());
            PrometheusText open = metrics(m);
            for (String transport : List.of("sub", "websocket", "tcp")) {
                assertEquals(before.count("push_connections{transport=\"" + transport + "\"}") + 1,
                        open.count("push_connections{transport=\"" + transport + "\"}"), transport);
                assertEquals(before.count("push_connections_opened_total{transport=\"" + transport + "\"}") + 1,
                        open.count("push_connections_opened_total{transport=\"" + transport + "\"}"), transport);
            }
            for (String key : keys) {
                assertEquals(200, m.http().post("/1/admin/push/private?expire=60&key=" + key, "{\"n\":1}").status());
            }
            for (String message : new String[] {sub.next(WAIT), listener.next(WAIT), tcp.nextJson(WAIT)}) {
                // TCP's gopush-style clients get the message as a JSON string ("{\"n\":1}")
                assertTrue(message != null && message.replace("\\\"", "\"").contains("\"n\":1"), message);
            }
            String tooLong = "k".repeat(129); // push.limit.key-length is 128
            String refused = m.http().post("/1/admin/push/private?expire=0&key=" + tooLong, "{}").body();
            assertTrue(refused.contains("65534"), refused);
            m.http().post("/1/admin/push/mprivate?expire=0", "{\"m\":\"{}\",\"k\":\"" + keys.get(0) + "," + keys.get(1) + "\"}");
            m.http().post("/1/admin/push/public?expire=0", "{\"p\":1}");
            try (TcpClient bad = new TcpClient(m.httpPort() + 3000).subscribe("sub", keys.get(2), "soon", "1")) {
                assertEquals("-p", bad.nextReply(WAIT).trim(), "a heartbeat that is not a number");
            }
            String group = "ovg" + RUN;
            assertTrue(m.http().post("/1/admin/group/add?g=" + group + "&k=" + keys.get(0), "").body().contains("\"ret\":0"));
            assertTrue(m.http().post("/1/admin/push/group?expire=0&g=" + group, "{\"g\":1}").body().contains("\"ret\":0"));
        }
        Await.until(Duration.ofMillis(WAIT), () -> metrics(m).count("push_connections{transport=\"tcp\"}")
                == before.count("push_connections{transport=\"tcp\"}"), () -> "the TCP subscriber was not counted closed");
        PrometheusText after = metrics(m);
        assertEquals(3, delta(before, after, "push_pushes_total{kind=\"private\",ret=\"0\"}"));
        assertEquals(1, delta(before, after, "push_pushes_total{kind=\"private\",ret=\"65534\"}"));
        assertEquals(1, delta(before, after, "push_connections_refused_total{reason=\"bad_parameter\"}"));
        assertEquals(1, delta(before, after, "push_pushes_total{kind=\"multi\",ret=\"0\"}"));
        assertEquals(1, delta(before, after, "push_pushes_total{kind=\"public\",ret=\"0\"}"));
        assertEquals(1, delta(before, after, "push_pushes_total{kind=\"group\",ret=\"0\"}"));
        assertTrue(delta(before, after, "push_deliveries_total") >= 3 + 2, "private and multi deliveries");
        assertTrue(delta(before, after, "push_delivery_seconds_count") >= 3, after.samples().keySet().toString());
        assertEquals(delta(before, after, "push_delivery_seconds_count"),
                delta(before, after, "push_delivery_seconds_bucket_total{le=\"+Inf\"}"), "the histogram counts every delivery");
        assertTrue(delta(before, after, "push_delivery_seconds_bucket_total{le=\"10\"}")
                >= delta(before, after, "push_delivery_seconds_bucket_total{le=\"0.0005\"}"), "its buckets are cumulative");
        assertEquals(delta(before, after, "push_store_operation_seconds_count{operation=\"save\",store=\"jpa\"}"),
                delta(before, after, "push_store_operation_seconds_bucket_total{le=\"+Inf\",operation=\"save\",store=\"jpa\"}"));
        double slowest = after.value("push_delivery_seconds_max");
        assertTrue(slowest > 0 && slowest < 30, "the slowest delivery in seconds, not nanoseconds: " + slowest);
        assertTrue(after.samples().keySet().stream().noneMatch(id -> id.contains("quantile")
                && id.startsWith("push_")), "no timer quantiles, which Payara would export unscaled");
        assertTrue(delta(before, after, "push_store_operation_seconds_count{operation=\"save\",store=\"jpa\"}") >= 3,
                "the three stored pushes were saved and timed");
        assertEquals(3, after.count("push_cluster_members"));
        for (String transport : List.of("sub", "websocket", "tcp")) {
            assertEquals(1, delta(before, after, "push_connections_closed_total{transport=\"" + transport + "\"}"), transport);
        }
    }

    /** {@code /1/admin/stats} reads the same counts that {@code /metrics} exports. */
    @Test
    @Order(2)
    void adminStatsShowTheSameNumbersAsTheMetrics() {
        MicroMember m = m1();
        PrometheusText metrics = metrics(m);
        JsonObject stats = Json.createReader(new StringReader(m.http().get("/1/admin/stats").body())).readObject()
                .getJsonObject("data");
        JsonObject messages = stats.getJsonObject("messages");
        assertTrue(metrics.count("push_deliveries_total") >= 5, "the first test's deliveries: " + metrics.samples());
        assertEquals(metrics.count("push_deliveries_total"), messages.getJsonNumber("delivered").longValue());
        assertEquals(metrics.count("push_pushes_total{kind=\"private\",ret=\"0\"}"),
                messages.getJsonObject("pushes").getJsonObject("private").getJsonNumber("0").longValue());
        JsonObject transports = stats.getJsonObject("connections").getJsonObject("transports");
        assertEquals(metrics.count("push_connections_opened_total{transport=\"websocket\"}"),
                transports.getJsonObject("websocket").getJsonNumber("opened").longValue());
        assertEquals(metrics.count("push_store_operation_seconds_count{operation=\"save\",store=\"jpa\"}"),
                stats.getJsonObject("store").getJsonObject("operations").getJsonObject("save")
                        .getJsonNumber("count").longValue());
        assertEquals(3, stats.getJsonObject("cluster").getInt("members"));
        double shares = Json.createReader(new StringReader(m.http().get("/1/admin/cluster").body())).readObject()
                .getJsonObject("data").getJsonArray("members").stream()
                .mapToDouble(member -> member.asJsonObject().getJsonNumber("share").doubleValue()).sum();
        assertEquals(1.0, shares, 1e-6, "the members' shares of the keys add up to all of them");
    }

    /** Payara's {@code /openapi} is the document of the routes, not a stub generated from the JAX-RS classes. */
    @Test
    @Order(3)
    void openApiIsTheDocumentOfTheRoutes() throws Exception {
        Http.Reply reply = m1().http().get("/openapi", "Accept", "application/json");
        assertEquals(200, reply.status(), reply.body());
        JsonObject served = Json.createReader(new StringReader(reply.body())).readObject();
        JsonObject written;
        try (java.io.InputStream in = OperatorViewIT.class.getResourceAsStream("/META-INF/openapi.json")) {
            written = Json.createReader(in).readObject();
        }
        assertEquals(written.getJsonObject("info").getString("title"), served.getJsonObject("info").getString("title"));
        assertEquals(written.getJsonObject("info").getString("version"), served.getJsonObject("info").getString("version"));
        assertEquals(written.getJsonObject("paths").keySet(), served.getJsonObject("paths").keySet(),
                "the paths served are exactly those written");
        assertTrue(served.getJsonObject("components").getJsonObject("securitySchemes").containsKey("adminAccess"));
    }

    /**
     * The dashboard in headless Chromium: three members, charts that move under load, a key looked up,
     * a screenshot (target/browser-test/dashboard.png); then m3 is killed and the table loses it.
     */
    @Test
    @Order(4)
    void dashboardShowsTheClusterLiveAndLosesAKilledMember() throws Exception {
        Path marker = BrowserRun.WORK.resolve("kill-marker");
        Files.createDirectories(BrowserRun.WORK);
        Files.deleteIfExists(marker);
        Map<String, String> environment = Map.of("DASHBOARD_KILL_MARKER", marker.toAbsolutePath().toString(),
                "DASHBOARD_SCREENSHOT", BrowserRun.WORK.resolve("dashboard.png").toAbsolutePath().toString());
        CompletableFuture<Void> browser = CompletableFuture.runAsync(() -> {
            try {
                BrowserRun.run("dashboard.mjs", "http://" + m1().hostPort(), environment, "dashboard.log");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Await.until(Duration.ofMinutes(3), () -> Files.exists(marker) || browser.isDone(),
                () -> "the dashboard script did not get to the kill");
        if (Files.exists(marker)) {
            CLUSTER.member("m3").kill();
        }
        try {
            browser.get(4, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Error error ? error : new AssertionError(e.getCause());
        }
        Await.until(Duration.ofSeconds(30), () -> m1().log().contains("member m1: m3 left; the ring is now"),
                () -> "m1 did not log that m3 left");
    }

    private static long delta(PrometheusText before, PrometheusText after, String id) {
        return after.count(id) - before.count(id);
    }
}
