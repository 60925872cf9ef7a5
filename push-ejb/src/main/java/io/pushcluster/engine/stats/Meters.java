package io.pushcluster.engine.stats;

import java.util.function.LongSupplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Where the engine's measurements live: MicroProfile Metrics' application registry on a server, so
 * that Payara's {@code /metrics} exports them; plain memory in unit tests and tools.
 */
public interface Meters {

    /** The counter of that name and tags, made at its first use. */
    Counter counter(String name, String description, Tag... tags);

    /** The timer of that name and tags (durations, exported in seconds), made at its first use. */
    Timer timer(String name, String description, Tag... tags);

    /** A value read when it is exported. */
    void gauge(String name, String description, LongSupplier value, Tag... tags);
}
