package io.pushcluster.web.rest;

import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.stats.Disconnect;
import io.pushcluster.engine.stats.Labelled;
import io.pushcluster.engine.stats.PushKind;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.Refusal;
import io.pushcluster.engine.stats.RetCode;
import io.pushcluster.engine.stats.Timing;
import io.pushcluster.engine.stats.TransportKind;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Snapshot;
import org.eclipse.microprofile.metrics.Timer;

/** The parts of {@code /1/admin/stats} that break the counts down, by the labels of their metrics. */
final class StatsBreakdown {

    private static final String[] STORE_OPERATIONS = {"save", "fetch", "delete", "purge"};

    private StatsBreakdown() {
    }

    static JsonObjectBuilder transports(PushStats stats) {
        JsonObjectBuilder all = Json.createObjectBuilder();
        for (TransportKind t : TransportKind.values()) {
            all.add(t.label(), Json.createObjectBuilder().add("current", stats.current(t))
                    .add("opened", stats.openedCount(t)).add("closed", stats.closedCount(t)));
        }
        return all;
    }

    static JsonObjectBuilder refusals(PushStats stats) {
        return counts(Refusal.values(), stats::count);
    }

    static JsonObjectBuilder disconnects(PushStats stats) {
        return counts(Disconnect.values(), stats::count);
    }

    /** Each reason's count, by its label. */
    private static <E extends Labelled> JsonObjectBuilder counts(E[] reasons, ToLongFunction<E> count) {
        JsonObjectBuilder all = Json.createObjectBuilder();
        for (E reason : reasons) {
            all.add(reason.label(), count.applyAsLong(reason));
        }
        return all;
    }

    static JsonObjectBuilder pushes(PushStats stats) {
        JsonObjectBuilder all = Json.createObjectBuilder();
        for (PushKind k : PushKind.values()) {
            JsonObjectBuilder byRet = Json.createObjectBuilder();
            for (RetCode r : RetCode.values()) {
                byRet.add(r.label(), stats.count(k, r));
            }
            all.add(k.label(), byRet);
        }
        return all;
    }

    static JsonObjectBuilder store(PushStats stats, String name) {
        JsonObjectBuilder operations = Json.createObjectBuilder();
        for (String operation : STORE_OPERATIONS) {
            operations.add(operation, timing(stats.storeTiming(name, operation))
                    .add("failures", stats.storeFailures(name, operation).getCount()));
        }
        return Json.createObjectBuilder().add("name", name).add("operations", operations);
    }

    static JsonObjectBuilder cluster(PushStats stats, Membership membership) {
        return Json.createObjectBuilder().add("members", membership.view().size())
                .add("ringChanges", stats.ringChanges());
    }

    /**
     * A timer's count and, in milliseconds, its total, mean and maximum (of its recent sample), and its
     * histogram: by upper bound in seconds, the observations at or below it.
     */
    static JsonObjectBuilder timing(Timing timing) {
        Timer timer = timing.timer();
        Snapshot snapshot = timer.getSnapshot();
        JsonObjectBuilder counts = Json.createObjectBuilder();
        timing.buckets().counts().forEach(counts::add);
        return Json.createObjectBuilder().add("count", timer.getCount())
                .add("totalMs", millis(timer.getElapsedTime().toNanos()))
                .add("meanMs", millis(snapshot.getMean())).add("maxMs", millis(snapshot.getMax()))
                .add("buckets", counts);
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }
}
