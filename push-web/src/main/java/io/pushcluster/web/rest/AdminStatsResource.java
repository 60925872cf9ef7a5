package io.pushcluster.web.rest;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.stats.PushStats;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;

/**
 * {@code GET /1/admin/stats}: connections (by transport, refusals and disconnects by reason), messages
 * (pushes by kind and ret code, delivery time), the store's operations, the cluster, memory, uptime
 * and the settings in force: the numbers {@code /metrics} exports, for gopush-style tooling and the
 * dashboard.
 */
@Path("1/admin/stats")
public class AdminStatsResource {

    @Inject
    ConnectionHub hub;

    @Inject
    PushStats stats;

    @Inject
    PushSettings settings;

    @Inject
    TransportSettings transport;

    @Inject
    Membership membership;

    @GET
    public Response stats() {
        return Reply.v1().answer(() -> {
            JsonObjectBuilder connections = Json.createObjectBuilder()
                    .add("current", hub.connections())
                    .add("keys", hub.keys());
            stats.connectionCounters().forEach(connections::add);
            JsonObjectBuilder messages = Json.createObjectBuilder();
            stats.messageCounters().forEach(messages::add);
            messages.add("pushes", StatsBreakdown.pushes(stats)).add("delivery",
                    StatsBreakdown.timing(stats.delivery()));
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            MemoryUsage heap = memory.getHeapMemoryUsage();
            JsonObjectBuilder config = Json.createObjectBuilder();
            settings.effective().forEach(config::add);
            transport.effective().forEach(config::add);
            long now = System.currentTimeMillis();
            connections.add("transports", StatsBreakdown.transports(stats))
                    .add("refusals", StatsBreakdown.refusals(stats))
                    .add("disconnects", StatsBreakdown.disconnects(stats));
            return Json.createObjectBuilder()
                    .add("connections", connections)
                    .add("messages", messages)
                    .add("store", StatsBreakdown.store(stats, settings.store()))
                    .add("cluster", StatsBreakdown.cluster(stats, membership))
                    .add("memory", Json.createObjectBuilder()
                            .add("heapUsed", heap.getUsed())
                            .add("heapCommitted", heap.getCommitted())
                            .add("heapMax", heap.getMax())
                            .add("nonHeapUsed", memory.getNonHeapMemoryUsage().getUsed()))
                    .add("uptimeSeconds", (now - stats.startedMillis()) / 1000)
                    .add("startedAt", stats.startedMillis())
                    .add("config", config)
                    .build().toString();
        });
    }
}
