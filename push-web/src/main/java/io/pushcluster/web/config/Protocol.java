package io.pushcluster.web.config;

import java.util.Optional;

/** The subscribe protocols, numbered as in gopush-cluster's {@code p}/{@code proto} parameter. */
public enum Protocol {
    WEBSOCKET(1), TCP(2);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    public static Optional<Protocol> of(String number) {
        for (Protocol protocol : values()) {
            if (Integer.toString(protocol.number).equals(number)) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }
}
