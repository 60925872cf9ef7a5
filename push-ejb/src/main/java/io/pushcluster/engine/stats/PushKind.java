package io.pushcluster.engine.stats;

/** What a push asked for: the label {@code kind} of {@code push_pushes_total}. */
public enum PushKind implements Labelled {
    /** One key. */
    PRIVATE,
    /** Many keys at once. */
    MULTI,
    /** Every subscriber (the public stream). */
    PUBLIC,
    /** The keys of a group. */
    GROUP;
}
