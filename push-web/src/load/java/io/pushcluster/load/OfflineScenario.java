package io.pushcluster.load;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code offline}: stores {@code --stored} messages (20) on each of {@code --keys} keys with pushes
 * that expire later, then fetches them with {@code /1/msg/get?m=0} at a rate (or as fast as the HTTP
 * connections allow), checking that every reply holds all of them.
 */
final class OfflineScenario {

    private OfflineScenario() {
    }

    static Result run(Options o, Target target, ServerProbe probe) throws Exception {
        int keys = o.integer("keys", 100);
        int stored = o.integer("stored", 20);
        long expire = o.number("expire", 3600);
        if (expire <= 0) {
            throw new IllegalArgumentException("offline needs --expire > 0");
        }
        double rate = o.decimal("rate", 200);
        double duration = o.decimal("duration", 5);
        long count = o.number("count", Long.MAX_VALUE);
        double warmup = o.decimal("warmup", 0);
        double drain = o.decimal("drain", 10);
        int size = o.integer("size", 64);
        int connections = o.integer("http-conns", 8);

        String pushPath = Target.pathTemplate(target.pushUrl, expire);
        HttpLoad pushHttp = target.http(target.pushUrl, connections);
        HttpLoad.Outcome prefill = pushHttp.run(new HttpLoad.Exchange() {
            @Override
            public byte[] request(long seq, long scheduledMicros) {
                return pushHttp.post(Target.withKey(pushPath, target.key(seq % keys)), Messages.stamped(scheduledMicros, size));
            }

            @Override
            public boolean reply(long seq, long scheduledMicros, int status, byte[] body) {
                return Messages.accepted(status, body);
            }
        }, 0, (long) keys * stored, o.decimal("prefill-max", 300), drain);
        System.err.println("prefill: " + prefill.brief());

        String getPath = Target.pathTemplate(target.offlineUrl, 0);
        HttpLoad getHttp = target.http(target.offlineUrl, connections);
        String[] wrongSample = {null};
        long[] messagesRead = {0};
        HttpLoad.Exchange fetches = new HttpLoad.Exchange() {
            @Override
            public byte[] request(long seq, long scheduledMicros) {
                return getHttp.get(Target.withKey(getPath, target.key(seq % keys)));
            }

            @Override
            public boolean reply(long seq, long scheduledMicros, int status, byte[] body) {
                int n = Messages.count(body, "\"mid\":");
                messagesRead[0] += n;
                boolean ok = status == 200 && n == stored && Messages.accepted(status, body);
                if (!ok && wrongSample[0] == null) {
                    String text = new String(body, StandardCharsets.UTF_8);
                    wrongSample[0] = "HTTP " + status + " with " + n + " messages: "
                            + (text.length() > 200 ? text.substring(0, 200) : text);
                }
                return ok;
            }
        };
        Map<String, Object> before = probe.snapshot(false);
        if (warmup > 0) {
            System.err.println("warm-up: " + getHttp.run(fetches, rate, Long.MAX_VALUE, warmup, drain).brief());
        }
        messagesRead[0] = 0;
        HttpLoad.Outcome out = getHttp.run(fetches, rate, count, duration, drain);
        Map<String, Object> after = probe.snapshot(false);

        Histogram latency = out.latency.snapshot();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("keys", keys);
        f.put("storedPerKey", stored);
        f.put("expire", expire);
        f.put("prefillPushes", prefill.sent);
        f.put("prefillAccepted", prefill.ok);
        f.put("prefillPerSecond", IdleScenario.round(prefill.okPerSecond()));
        f.put("targetRate", rate);
        f.put("getsSent", out.sent);
        f.put("getsComplete", out.ok);
        f.put("getsWrong", out.rejected);
        f.put("getsFailed", out.failed);
        f.put("getsUnsent", out.unsent);
        f.put("getSeconds", IdleScenario.round(out.seconds));
        f.put("getsPerSecond", IdleScenario.round(out.okPerSecond()));
        f.put("messagesRead", messagesRead[0]);
        f.put("maxQueued", out.maxQueued);
        f.put("latency", Latency.percentiles(latency));
        f.put("firstWrongReply", wrongSample[0]);
        f.put("errors", Map.of("prefill", prefill.errors, "gets", out.errors));
        f.put("serverBefore", before);
        f.put("serverAfter", after);
        String summary = String.format(Locale.ROOT,
                "offline: keys=%d stored/key=%d prefill accepted=%d/%d (%.0f/s) gets complete=%d/%d (%.1f/s, target %s) "
                        + "wrong=%d failed=%d latency %s",
                keys, stored, prefill.ok, prefill.sent, prefill.okPerSecond(), out.ok, out.sent, out.okPerSecond(),
                rate > 0 ? String.format(Locale.ROOT, "%.0f/s", rate) : "max", out.rejected, out.failed + out.unsent,
                Latency.brief(latency));
        boolean ok = prefill.ok == (long) keys * stored && out.ok == out.sent && out.unsent == 0;
        return new Result(summary, f, ok);
    }
}
