package io.pushcluster.engine.stats;

import java.util.Locale;

/** What a push asked for: the label {@code kind} of {@code push_pushes_total}. */
public enum PushKind {
    /** One key. */
    PRIVATE,
    /** Many keys at once. */
    MULTI,
    /** Every subscriber (the public stream). */
    PUBLIC,
    /** The keys of a group. */
    GROUP;

    /** The label's value: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
