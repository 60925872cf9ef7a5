package io.pushcluster.web.nio;

import java.util.Locale;

/**
 * What a subscriber listener binds and how many sockets it holds.
 *
 * @param name         the protocol, for log and error messages ("TCP", "WebSocket")
 * @param bindProperty the setting that names the address, for error messages
 * @param bindHost     the host to bind, an IPv6 host in brackets
 * @param keepalive    whether accepted sockets get SO_KEEPALIVE
 * @param idleNanos    how long a socket may stay {@linkplain SubscriberSocket#idleSince idle} before it is
 *                     closed; 0 when the protocol has no such limit (subscribers have their heartbeats)
 * @param subscribers  whether its connections are subscribers, counted against
 *                     {@code push.limit.connections-per-ip}
 */
public record ListenerSettings(String name, String bindProperty, String bindHost, int bindPort, int maxConnections,
        boolean keepalive, long idleNanos, boolean subscribers) {

    /** A subscriber listener's. */
    public ListenerSettings(String name, String bindProperty, String bindHost, int bindPort, int maxConnections,
            boolean keepalive) {
        this(name, bindProperty, bindHost, bindPort, maxConnections, keepalive, 0, true);
    }

    /** The listener's name in {@code push.tls.listeners}: websocket, http or tcp. */
    public String tlsName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** host:port as configured. */
    public String bind() {
        return bindHost + ":" + bindPort;
    }
}
