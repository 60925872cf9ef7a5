package io.pushcluster.engine.stats;

/** What carries a subscriber connection: the label {@code transport} of the connection metrics. */
public enum TransportKind {
    /** {@code /sub} on Payara's HTTP port. */
    SUB("sub"),
    /** The WebSocket listener of our own. */
    WEBSOCKET("websocket"),
    /** The TCP listener. */
    TCP("tcp");

    private final String label;

    TransportKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
