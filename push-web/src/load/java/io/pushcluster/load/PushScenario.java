package io.pushcluster.load;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code push} and {@code multi}: C subscribers on distinct keys; pushes at a rate (or as fast as the
 * HTTP connections allow) carrying their scheduled send time; reports pushes accepted per second,
 * messages delivered per second and push-to-receipt latency. {@code push} sends each push to one key
 * (round robin, or with {@code --order random} a key picked at random); {@code multi} sends each to
 * {@code --keys-per-push} consecutive keys through the
 * multi-key endpoint, or with {@code --fanout-url} POSTs the bare message to a URL that delivers it to
 * every subscriber (the reference server's broadcast), the closest equivalent a server without
 * multi-key pushes offers. With {@code --group-url} the subscribers' keys are first added to a group
 * through that URL, and {@code --fanout-url} is the group's push.
 */
final class PushScenario {

    private PushScenario() {
    }

    /** Builds the requests and counts failed keys; one per phase (warm-up, measurement). */
    private static final class Pushes implements HttpLoad.Exchange {
        final HttpLoad http;
        final Target target;
        final String path;
        final boolean multi;
        final int conns;
        final int perPush;
        final int size;
        final boolean randomKeys;
        long failedKeys;

        Pushes(HttpLoad http, Target target, String path, boolean multi, int conns, int perPush, int size,
                boolean randomKeys) {
            this.http = http;
            this.target = target;
            this.path = path;
            this.multi = multi;
            this.conns = conns;
            this.perPush = perPush;
            this.size = size;
            this.randomKeys = randomKeys;
        }

        @Override
        public byte[] request(long seq, long scheduledMicros) {
            String message = Messages.stamped(scheduledMicros, size);
            if (!multi) {
                long key = randomKeys ? Math.floorMod(scramble(seq), (long) conns) : seq % conns;
                return http.post(Target.withKey(path, target.key(key)), message);
            }
            StringBuilder keys = new StringBuilder();
            long first = seq * perPush;
            for (int i = 0; i < perPush; i++) {
                keys.append(i == 0 ? "" : ",").append(target.key((first + i) % conns));
            }
            return http.post(path, "{\"m\":" + Messages.quoted(message) + ",\"k\":\"" + keys + "\"}");
        }

        /** SplitMix64's finalizer: the push's sequence number to a key index that looks random, without state. */
        private static long scramble(long seq) {
            long z = seq + 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        @Override
        public boolean reply(long seq, long scheduledMicros, int status, byte[] body) {
            if (multi) {
                failedKeys += Messages.failedKeys(body);
            }
            return Messages.accepted(status, body);
        }
    }

    /** Keys one request adds to the group: the server's default {@code push.limit.multi-keys}. */
    private static final int GROUP_ADD_CHUNK = 1000;

    /**
     * Adds every subscriber's key to a group with form POSTs to {@code --group-url} (the group's add
     * endpoint), so that {@code --fanout-url} can push to the group.
     */
    private static void fillGroup(Target target, int conns) throws Exception {
        ClientTls tls = target.tls();
        java.net.http.HttpClient client = tls == null ? java.net.http.HttpClient.newHttpClient()
                : java.net.http.HttpClient.newBuilder().sslContext(tls.context()).build();
        for (int first = 0; first < conns; first += GROUP_ADD_CHUNK) {
            StringBuilder keys = new StringBuilder("k=");
            for (int i = first; i < Math.min(conns, first + GROUP_ADD_CHUNK); i++) {
                keys.append(i == first ? "" : ",").append(java.net.URLEncoder.encode(target.key(i),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(target.groupUrl))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(keys.toString()));
            if (target.authorization != null) {
                request.header("Authorization", target.authorization);
            }
            String answer = client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (!answer.contains("\"ret\":0")) {
                throw new IllegalStateException("adding keys to the group failed: " + answer);
            }
        }
        System.err.println("group: " + conns + " keys added through " + target.groupUrl);
    }

    static Result run(Options o, Target target, ServerProbe probe, boolean multi) throws Exception {
        int conns = o.integer("conns", 200);
        double rate = o.decimal("rate", 200);
        double duration = o.decimal("duration", 5);
        long count = o.number("count", Long.MAX_VALUE);
        double warmup = o.decimal("warmup", 0);
        double drain = o.decimal("drain", 10);
        long expire = o.number("expire", 0);
        int size = o.integer("size", 64);
        String order = o.text("order", "robin");
        if (!order.equals("robin") && !order.equals("random")) {
            throw new IllegalArgumentException("--order is robin or random, not " + order);
        }
        boolean randomKeys = order.equals("random");
        boolean fanout = multi && target.fanoutUrl != null;
        int perPush = !multi ? 1 : fanout ? conns : o.integer("keys-per-push", 100);
        if (multi && !fanout && perPush > conns) {
            throw new IllegalArgumentException("--keys-per-push " + perPush + " needs at least as many --conns");
        }
        String url = !multi ? target.pushUrl : fanout ? target.fanoutUrl : target.multiPushUrl;
        String path = Target.pathTemplate(url, expire);
        HttpLoad http = target.http(url, o.integer("http-conns", 8));

        Subscribers subs = target.subscribers(o, conns);
        Progress.until(subs, null, () -> subs.awaitConnectPhase(1), o.integer("connect-max", 600));
        Progress.sleep(subs, null, 1);
        if (target.groupUrl != null) {
            fillGroup(target, conns);
        }
        Map<String, Object> before = probe.snapshot(false);
        if (warmup > 0) {
            System.err.println("warm-up: " + http.run(new Pushes(http, target, path, multi && !fanout, conns, perPush, size, randomKeys),
                    rate, Long.MAX_VALUE, warmup, drain).brief());
            Progress.sleep(subs, null, 1);
        }
        subs.countFrom(EpochMicros.now());
        long measureStart = System.nanoTime();
        long serverCpuStart = probe.cpuNanos();
        long clientCpuStart = ServerProbe.ownCpuNanos();
        Pushes pushes = new Pushes(http, target, path, multi && !fanout, conns, perPush, size, randomKeys);
        HttpLoad.Outcome out = http.run(pushes, rate, count, duration, drain);
        long expected = out.ok * perPush - pushes.failedKeys;
        long pushEnd = System.nanoTime();
        Progress.until(subs, "expected=" + expected, () -> {
            Thread.sleep(50);
            long quietSince = Math.max(subs.lastDeliveryNanos(), pushEnd);
            return subs.delivered() >= expected || System.nanoTime() - quietSince > 3_000_000_000L;
        }, drain);
        long serverCpu = probe.cpuNanos() - serverCpuStart;
        long clientCpu = ServerProbe.ownCpuNanos() - clientCpuStart;
        Map<String, Object> after = probe.snapshot(false);
        subs.stop();

        long delivered = subs.delivered();
        double deliverySeconds = Math.max(1e-9, (Math.max(subs.lastDeliveryNanos(), measureStart) - measureStart) / 1e9);
        Histogram latency = subs.delivery.snapshot();
        Histogram requests = out.latency.snapshot();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("subscribers", subs.connected());
        f.put("subscribeFailed", subs.failed());
        f.put("dropped", subs.dropped());
        f.put("expire", expire);
        f.put("perPush", perPush);
        f.put("targetRate", rate);
        f.put("pushesSent", out.sent);
        f.put("pushesAccepted", out.ok);
        f.put("pushesRejected", out.rejected);
        f.put("pushesFailed", out.failed);
        f.put("pushesUnsent", out.unsent);
        f.put("failedKeys", pushes.failedKeys);
        f.put("pushSeconds", IdleScenario.round(out.seconds));
        f.put("pushesPerSecond", IdleScenario.round(out.okPerSecond()));
        f.put("maxQueued", out.maxQueued);
        f.put("expectedDeliveries", expected);
        f.put("delivered", delivered);
        f.put("lost", expected - delivered);
        f.put("untimedMessages", subs.untimed());
        f.put("deliveredPerSecond", IdleScenario.round(delivered / deliverySeconds));
        // CPU per delivered message over the measured pushes and their deliveries: what each process
        // pays, apart from the other's share of the cores
        double serverCpuMicros = serverCpuStart < 0 ? -1 : serverCpu / 1000.0 / Math.max(1, delivered);
        double clientCpuMicros = clientCpu / 1000.0 / Math.max(1, delivered);
        f.put("serverCpuMicrosPerDelivery", IdleScenario.round(serverCpuMicros));
        f.put("clientCpuMicrosPerDelivery", IdleScenario.round(clientCpuMicros));
        f.put("latency", Latency.percentiles(latency));
        f.put("pushReplyLatency", Latency.percentiles(requests));
        f.put("errors", Map.of("subscribers", subs.errors, "pushes", out.errors));
        f.put("clientRssKb", ServerProbe.rssKb(ProcessHandle.current().pid()));
        f.put("serverBefore", before);
        f.put("serverAfter", after);
        String name = !multi ? "push" : target.groupUrl != null ? "multi(group)" : fanout ? "multi(fanout)" : "multi";
        String summary = String.format(Locale.ROOT,
                "%s expire=%d: subs=%d/%d keys/push=%d pushes accepted=%d/%d (%.1f/s, target %s) delivered=%d/%d "
                        + "(%.1f msg/s) latency %s push reply %s cpu/delivery server=%.1fus client=%.1fus errors=%d",
                name, expire, subs.connected(), conns, perPush, out.ok, out.sent, out.okPerSecond(),
                rate > 0 ? String.format(Locale.ROOT, "%.0f/s", rate) : "max", delivered, expected,
                delivered / deliverySeconds, Latency.brief(latency), Latency.brief(requests), serverCpuMicros,
                clientCpuMicros, out.rejected + out.failed + out.unsent + subs.failed() + subs.dropped());
        boolean ok = subs.connected() == conns && out.ok == out.sent && out.unsent == 0 && delivered == expected
                && subs.dropped() == 0;
        return new Result(summary, f, ok);
    }
}
