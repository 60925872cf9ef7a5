package io.pushcluster.engine.stats;

/** What carries a subscriber connection: the label {@code transport} of the connection metrics. */
public enum TransportKind implements Labelled {
    /** {@code /sub} on Payara's HTTP port. */
    SUB,
    /** The WebSocket listener of our own. */
    WEBSOCKET,
    /** The TCP listener. */
    TCP;
}
