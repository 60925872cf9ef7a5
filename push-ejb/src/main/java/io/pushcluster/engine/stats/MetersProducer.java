package io.pushcluster.engine.stats;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** The {@link Meters} the engine counts with: MicroProfile Metrics' application registry where there is one. */
@ApplicationScoped
public class MetersProducer {

    @Produces
    @ApplicationScoped
    Meters meters(Instance<MetricRegistry> registry) {
        return registry.isResolvable() ? new RegistryMeters(registry.get()) : new LocalMeters();
    }
}
