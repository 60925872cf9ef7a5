package io.pushcluster.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code idle}: opens N heartbeating subscribers, holds them, and reports the connect rate and the
 * server's memory per connection (RSS and heap growth divided by the connections held).
 */
final class IdleScenario {

    private IdleScenario() {
    }

    static Result run(Options o, Target target, ServerProbe probe) throws Exception {
        int conns = o.integer("conns", 200);
        int hold = o.integer("hold", 30);
        int settle = o.integer("settle", 5);
        Map<String, Object> before = probe.snapshot(true);
        Subscribers subs = target.subscribers(o, conns);
        Progress.until(subs, null, () -> subs.awaitConnectPhase(1), o.integer("connect-max", 600));
        long held = System.nanoTime();
        Progress.sleep(subs, null, settle);
        Map<String, Object> after = probe.snapshot(true);
        Progress.sleep(subs, null, Math.max(0, hold - settle));
        Map<String, Object> end = probe.snapshot(false);
        int open = subs.open();
        double heldSeconds = (System.nanoTime() - held) / 1e9;
        subs.stop();

        int connected = subs.connected();
        long rssDelta = delta(after, before, "rssKb") * 1024;
        long heapDelta = delta(after, before, "heapUsedBytes");
        Histogram handshake = subs.handshake.snapshot();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("connected", connected);
        f.put("subscribed", subs.subscribed());
        f.put("failed", subs.failed());
        f.put("dropped", subs.dropped());
        f.put("openAtEnd", open);
        f.put("heldSeconds", round(heldSeconds));
        f.put("connectSeconds", round(subs.connectSeconds()));
        f.put("connectPerSecond", round(connected / Math.max(1e-9, subs.connectSeconds())));
        f.put("handshake", Latency.percentiles(handshake));
        f.put("heartbeatReplies", subs.heartbeatReplies());
        f.put("rssDeltaBytes", rssDelta);
        f.put("rssPerConnectionBytes", perConnection(rssDelta, connected));
        f.put("heapDeltaBytes", heapDelta);
        f.put("heapPerConnectionBytes", perConnection(heapDelta, connected));
        f.put("clientRssKb", ServerProbe.rssKb(ProcessHandle.current().pid()));
        f.put("errors", subs.errors);
        f.put("serverBefore", before);
        f.put("serverAfterConnect", after);
        f.put("serverAtEnd", end);
        String summary = String.format(Locale.ROOT,
                "idle: connected=%d/%d failed=%d dropped=%d open_at_end=%d connect=%.0f/s in %.2fs handshake %s "
                        + "server rss %+d KB (%s B/conn) heap %+d KB (%s B/conn)",
                connected, conns, subs.failed(), subs.dropped(), open, connected / Math.max(1e-9, subs.connectSeconds()),
                subs.connectSeconds(), Latency.brief(handshake), rssDelta / 1024, f.get("rssPerConnectionBytes"),
                heapDelta / 1024, f.get("heapPerConnectionBytes"));
        return new Result(summary, f, connected == conns && open == conns && subs.dropped() == 0);
    }

    private static long delta(Map<String, Object> later, Map<String, Object> earlier, String name) {
        long a = (Long) later.get(name);
        long b = (Long) earlier.get(name);
        return a < 0 || b < 0 ? 0 : a - b;
    }

    private static Object perConnection(long bytes, int connections) {
        return connections == 0 || bytes == 0 ? "n/a" : Long.toString(bytes / connections);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
