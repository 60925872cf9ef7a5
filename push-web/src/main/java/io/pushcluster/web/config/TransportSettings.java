package io.pushcluster.web.config;

import io.pushcluster.engine.config.HostPort;
import io.pushcluster.engine.config.SettingsReader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings of the transports: the listeners of our own (TCP, WebSocket, HTTP), {@code /sub} on
 * Payara's port, the browser origins allowed, and the addresses this member advertises. Read like the
 * engine's (README, Configuration); the engine never sees them.
 */
public final class TransportSettings {

    public static final String PUBLIC_WS = "push.public.websocket";
    public static final String PUBLIC_TCP = "push.public.tcp";
    /** Set by Payara (its server properties config source): the instance's HTTP address and port. */
    public static final String PAYARA_HTTP_ADDRESS = "payara.instance.http.address";
    public static final String PAYARA_HTTP_PORT = "payara.instance.http.port";
    public static final String ORIGINS = "push.origins";
    public static final String TCP_ENABLED = "push.tcp.enabled";
    public static final String TCP_BIND = "push.tcp.bind";
    public static final String TCP_KEEPALIVE = "push.tcp.keepalive";
    public static final String TCP_COMMAND_MAX_BYTES = "push.limit.tcp-command-bytes";
    public static final String TCP_MAX_CONNECTIONS = "push.limit.tcp-connections";
    public static final String WEBSOCKET_BIND = "push.websocket.bind";
    public static final String WEBSOCKET_MAX_CONNECTIONS = "push.limit.websocket-connections";
    public static final String SUB_MAX_CONNECTIONS = "push.limit.sub-connections";
    public static final String WEBSOCKET_HANDSHAKE_MAX_BYTES = "push.limit.websocket-handshake-bytes";
    public static final String HTTP_BIND = "push.http.bind";
    public static final String HTTP_MAX_CONNECTIONS = "push.limit.http-connections";
    public static final String HTTP_HEAD_MAX_BYTES = "push.limit.http-head-bytes";
    public static final String HTTP_WORKERS = "push.http.workers";
    public static final String HTTP_IDLE_TIMEOUT = "push.http.idle-timeout";

    /** The value that turns a listener of our own off. */
    public static final String OFF_VALUE = "off";
    /**
     * How far above Payara's HTTP port each listener of our own listens when its address is not set:
     * every instance on a host has an HTTP port of its own, so the derived ports do not collide either.
     */
    public static final int WEBSOCKET_PORT_OFFSET = 1000;
    public static final int HTTP_PORT_OFFSET = 2000;
    public static final int TCP_PORT_OFFSET = 3000;
    /** The TCP listener's address when it is not set and Payara's HTTP port is unknown (gopush-cluster's). */
    static final String TCP_FALLBACK = "127.0.0.1:6969";

    private static final HostPort OFF = new HostPort("", 0);

    private final SettingsReader reader;
    private final List<String> publicWebSocket;
    private final List<String> publicTcp;
    private final String httpHost;
    private final int httpPort;
    private final List<String> origins;
    private final boolean tcpEnabled;
    private final HostPort tcpBind;
    private final boolean tcpKeepalive;
    private final int tcpCommandMaxBytes;
    private final int tcpMaxConnections;
    private final HostPort webSocketBind;
    private final int webSocketMaxConnections;
    private final int subMaxConnections;
    private final int webSocketHandshakeMaxBytes;
    private final HostPort httpBind;
    private final int httpMaxConnections;
    private final int httpHeadMaxBytes;
    private final int httpWorkers;
    private final int httpIdleTimeoutSeconds;
    private final AddressSettings addresses;
    private final TlsSettings tls;
    /** The listeners whose address was derived from Payara's HTTP port, by setting. */
    private final Map<String, HostPort> derived = new LinkedHashMap<>();

    /** @param lookup the raw value of a property, empty when it is not set */
    public TransportSettings(Function<String, Optional<String>> lookup) {
        reader = new SettingsReader(lookup);
        publicWebSocket = reader.list(PUBLIC_WS);
        publicTcp = reader.list(PUBLIC_TCP);
        httpHost = reader.raw(PAYARA_HTTP_ADDRESS).orElse("");
        httpPort = reader.raw(PAYARA_HTTP_PORT).map(HostPort::port).orElse(0);
        origins = reader.list(ORIGINS);
        tcpBind = listener(TCP_BIND, TCP_PORT_OFFSET, TCP_FALLBACK);
        tcpEnabled = reader.flag(TCP_ENABLED, true) && tcpBind.port() != 0;
        tcpKeepalive = reader.flag(TCP_KEEPALIVE, false);
        tcpCommandMaxBytes = reader.positive(TCP_COMMAND_MAX_BYTES, 1024);
        tcpMaxConnections = reader.positive(TCP_MAX_CONNECTIONS, 19_000);
        webSocketBind = listener(WEBSOCKET_BIND, WEBSOCKET_PORT_OFFSET, "");
        webSocketMaxConnections = reader.positive(WEBSOCKET_MAX_CONNECTIONS, 19_000);
        subMaxConnections = reader.positive(SUB_MAX_CONNECTIONS, 19_000);
        webSocketHandshakeMaxBytes = reader.positive(WEBSOCKET_HANDSHAKE_MAX_BYTES, 8192);
        httpBind = listener(HTTP_BIND, HTTP_PORT_OFFSET, "");
        httpMaxConnections = reader.positive(HTTP_MAX_CONNECTIONS, 4096);
        httpHeadMaxBytes = reader.positive(HTTP_HEAD_MAX_BYTES, 8192);
        httpWorkers = reader.positive(HTTP_WORKERS, 32);
        httpIdleTimeoutSeconds = reader.positive(HTTP_IDLE_TIMEOUT, 60);
        addresses = AddressSettings.read(reader);
        tls = TlsSettings.read(reader);
    }

    /**
     * A listener's address: as set; off when set to {@value #OFF_VALUE}; when not set (or blank),
     * Payara's HTTP address (loopback when unknown) with its port plus {@code offset}, off when
     * the sum is no port, or {@code fallback} (off when empty) when Payara's HTTP port is unknown.
     */
    private HostPort listener(String property, int offset, String fallback) {
        Optional<String> set = reader.raw(property);
        if (set.filter(OFF_VALUE::equalsIgnoreCase).isPresent()) {
            reader.note(property, OFF_VALUE);
            return OFF;
        }
        if (set.isPresent() || httpPort == 0 || httpPort + offset > 65_535) {
            HostPort bind = reader.address(property, httpPort == 0 ? fallback : "").orElse(OFF);
            if (bind.port() == 0) {
                reader.note(property, OFF_VALUE);
            }
            return bind;
        }
        HostPort bind = HostPort.parse(property, HostPort.format(httpHost.isEmpty() ? "127.0.0.1" : httpHost,
                httpPort + offset));
        reader.note(property, HostPort.format(bind.host(), bind.port()));
        derived.put(property, bind);
        return bind;
    }

    /**
     * The listeners whose address this instance derived from Payara's HTTP port (none was set), by
     * setting: the ones to leave off, rather than fail the deployment, when something else holds the port.
     */
    public Map<String, HostPort> derivedListeners() {
        return Collections.unmodifiableMap(derived);
    }

    /** Public WebSocket addresses (host:port) of this node; empty means worked out from the listeners. */
    public List<String> publicWebSocket() {
        return publicWebSocket;
    }

    /** Public TCP addresses (host:port) of this node as configured; empty means the listener's own address. */
    public List<String> publicTcp() {
        return publicTcp;
    }

    /** The host of Payara's HTTP listener as Payara reports it; empty when unknown. */
    public String httpHost() {
        return httpHost;
    }

    /** The port of Payara's HTTP listener as Payara reports it; 0 when unknown. */
    public int httpPort() {
        return httpPort;
    }

    /** Browser origins allowed to subscribe; empty allows every origin. */
    public List<String> origins() {
        return origins;
    }

    /** Whether this node listens for subscribers on TCP (PROTOCOL.md A.5): not when turned off either way. */
    public boolean tcpEnabled() {
        return tcpEnabled;
    }

    /** The TCP listener's address as configured, the host an IPv6 address in brackets. */
    public HostPort tcpBind() {
        return tcpBind;
    }

    /** Whether TCP subscriber sockets get SO_KEEPALIVE (gopush-cluster's tcp.keepalive). */
    public boolean tcpKeepalive() {
        return tcpKeepalive;
    }

    /** Longest argument of a TCP subscribe command, in bytes; longer ones close the connection. */
    public int tcpCommandMaxBytes() {
        return tcpCommandMaxBytes;
    }

    /** TCP sockets open at once; the listener closes further ones as it accepts them. */
    public int tcpMaxConnections() {
        return tcpMaxConnections;
    }

    /** Whether this node runs its own WebSocket listener (set, or derived from Payara's HTTP port). */
    public boolean webSocketEnabled() {
        return webSocketBind.port() != 0;
    }

    /** The WebSocket listener's address as configured; port 0 when it is off. */
    public HostPort webSocketBind() {
        return webSocketBind;
    }

    /** Sockets the WebSocket listener holds open at once; it closes further ones as it accepts them. */
    public int webSocketMaxConnections() {
        return webSocketMaxConnections;
    }

    /** Subscribers {@code /sub} on Payara's HTTP port holds at once; further upgrades get 503. */
    public int subMaxConnections() {
        return subMaxConnections;
    }

    /** Longest upgrade request head (request line and headers) the WebSocket listener reads, in bytes. */
    public int webSocketHandshakeMaxBytes() {
        return webSocketHandshakeMaxBytes;
    }

    /** Whether this node runs its own HTTP listener (set, or derived from Payara's HTTP port). */
    public boolean httpListenerEnabled() {
        return httpBind.port() != 0;
    }

    /** The HTTP listener's address as configured; port 0 when it is off. */
    public HostPort httpBind() {
        return httpBind;
    }

    /** Sockets the HTTP listener holds open at once; it closes further ones as it accepts them. */
    public int httpMaxConnections() {
        return httpMaxConnections;
    }

    /** Longest request head (request line and headers) the HTTP listener reads, in bytes. */
    public int httpHeadMaxBytes() {
        return httpHeadMaxBytes;
    }

    /** Threads of the HTTP listener that answer the requests that wait for the store or the grid. */
    public int httpWorkers() {
        return httpWorkers;
    }

    /** Seconds an HTTP listener connection may wait for its next request before it is closed. */
    public int httpIdleTimeoutSeconds() {
        return httpIdleTimeoutSeconds;
    }

    /** The address lists, trusted proxies and the per-address connection limit. */
    public AddressSettings addresses() {
        return addresses;
    }

    /** TLS on the listeners of our own. */
    public TlsSettings tls() {
        return tls;
    }

    /** Every transport setting with the value in force. */
    public Map<String, String> effective() {
        return reader.effective();
    }
}
