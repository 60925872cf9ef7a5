package io.pushcluster.engine.stats;

import java.util.Locale;

/** A value of a metric's label: by default the enum constant's name in lower case. */
public interface Labelled {

    String name();

    default String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
