package io.pushcluster.web.rest;

/** The {@code ret} codes of PROTOCOL.md A.1. */
public final class Ret {

    public static final int OK = 0;
    public static final int NO_NODE = 1001;
    public static final int PARAMETER = 65534;
    public static final int INTERNAL = 65535;

    private Ret() {
    }

    /** The {@code msg} text the legacy paths send beside a code. */
    static String legacyText(int ret) {
        return switch (ret) {
            case OK -> "ok";
            case NO_NODE -> "no node";
            case PARAMETER -> "param error";
            default -> "internal error";
        };
    }
}
