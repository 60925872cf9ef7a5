package io.pushcluster.engine.stats;

import java.util.function.LongSupplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/** The measurements in MicroProfile Metrics' application registry, which Payara exports at {@code /metrics}. */
final class RegistryMeters implements Meters {

    private final MetricRegistry registry;

    RegistryMeters(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Counter counter(String name, String description, Tag... tags) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build(), tags);
    }

    @Override
    public Timer timer(String name, String description, Tag... tags) {
        return registry.timer(Metadata.builder().withName(name).withDescription(description)
                .withUnit(MetricUnits.NANOSECONDS).build(), tags);
    }

    @Override
    public void gauge(String name, String description, LongSupplier value, Tag... tags) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(),
                value::getAsLong, tags);
    }
}
