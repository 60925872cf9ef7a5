package io.pushcluster.engine.stats;

import java.util.Locale;

/** What carries a subscriber connection: the label {@code transport} of the connection metrics. */
public enum TransportKind {
    /** {@code /sub} on Payara's HTTP port. */
    SUB,
    /** The WebSocket listener of our own. */
    WEBSOCKET,
    /** The TCP listener. */
    TCP;

    /** The label's value: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
