package io.pushcluster.engine.stats;

/** What a push asked for: the label {@code kind} of {@code push_pushes_total}. */
public enum PushKind {
    /** One key. */
    PRIVATE("private"),
    /** Many keys at once. */
    MULTI("multi"),
    /** Every subscriber (the public stream). */
    PUBLIC("public"),
    /** The keys of a group. */
    GROUP("group");

    private final String label;

    PushKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
