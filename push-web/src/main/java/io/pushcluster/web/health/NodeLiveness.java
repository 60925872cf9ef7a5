package io.pushcluster.web.health;

import io.pushcluster.engine.connection.ConnectionHub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive unless the heap is nearly exhausted; reports the connections held. */
@Liveness
@ApplicationScoped
public class NodeLiveness implements HealthCheck {

    private static final double HEAP_EXHAUSTED = 0.98;

    @Inject
    ConnectionHub hub;

    @Override
    public HealthCheckResponse call() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        boolean heapLeft = heap.getMax() <= 0 || (double) heap.getUsed() / heap.getMax() < HEAP_EXHAUSTED;
        return HealthCheckResponse.named("push-node")
                .withData("connections", hub.connections())
                .withData("keys", hub.keys())
                .withData("heapUsed", heap.getUsed())
                .status(heapLeft)
                .build();
    }
}
