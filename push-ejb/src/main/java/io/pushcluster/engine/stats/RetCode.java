package io.pushcluster.engine.stats;

/** How a push ended, as the ret code its HTTP reply carries: the label {@code ret} of {@code push_pushes_total}. */
public enum RetCode implements Labelled {
    /** Done (a multi-key push may still list keys it failed for). */
    OK("0"),
    /** A missing or invalid parameter: nothing was pushed. */
    INVALID("65534"),
    /** Storing or routing failed: nothing was delivered. */
    FAILED("65535");

    private final String label;

    RetCode(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
