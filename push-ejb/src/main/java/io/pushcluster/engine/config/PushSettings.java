package io.pushcluster.engine.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of the server, with its default. Property names are documented in the README; they
 * can be given as system properties, environment variables (PUSH_HEARTBEAT_MIN, ...) or any other
 * MicroProfile Config source.
 */
public final class PushSettings {

    public static final String HEARTBEAT_MIN = "push.heartbeat.min";
    public static final String HEARTBEAT_GRACE = "push.heartbeat.grace";
    public static final String SUBSCRIBERS_PER_KEY = "push.subscribers.per-key";
    public static final String SEND_QUEUE = "push.send-queue";
    public static final String STORE = "push.store";
    public static final String STORE_CAP = "push.store.cap";
    public static final String PURGE_INTERVAL = "push.store.purge-interval";
    public static final String STORE_TIMEOUT_MS = "push.store.timeout-ms";
    public static final String IDEMPOTENCY_WINDOW = "push.idempotency.window";
    public static final String IDEMPOTENCY_KEY_MAX_LENGTH = "push.limit.idempotency-key-length";
    public static final String AUTH = "push.auth";
    public static final String ADMIN_CREDENTIAL = "push.admin.credential";
    public static final String KEY_MAX_LENGTH = "push.limit.key-length";
    public static final String MESSAGE_MAX_BYTES = "push.limit.message-bytes";
    public static final String MULTI_MAX_KEYS = "push.limit.multi-keys";
    public static final String TOKEN_MAX_LENGTH = "push.limit.token-length";
    public static final String TOKENS_PER_KEY = "push.limit.tokens-per-key";
    public static final String NODE_NAME = "push.node.name";
    public static final String NODE_WEIGHT = "push.node.weight";
    public static final String PUBLIC_WS = "push.public.websocket";
    public static final String PUBLIC_TCP = "push.public.tcp";
    /** Set by Payara (its server properties config source): the instance's name, HTTP address and port. */
    public static final String PAYARA_INSTANCE_NAME = "payara.instance.name";
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
    public static final String REDIS_SERVERS = "push.redis.servers";
    public static final String REDIS_WEIGHTS = "push.redis.weights";
    public static final String REDIS_KEY_PREFIX = "push.redis.key-prefix";
    public static final String REDIS_TIMEOUT_MS = "push.redis.timeout-ms";
    public static final String REDIS_POOL_MAX_TOTAL = "push.redis.pool.max-total";
    public static final String REDIS_POOL_MAX_WAIT_MS = "push.redis.pool.max-wait-ms";

    private final Map<String, String> effective = new LinkedHashMap<>();

    private final int heartbeatMin;
    private final int heartbeatGrace;
    private final int subscribersPerKey;
    private final int sendQueue;
    private final String store;
    private final int storeCap;
    private final int storeTimeoutMillis;
    private final int idempotencyWindowSeconds;
    private final int idempotencyKeyMaxLength;
    private final int purgeIntervalSeconds;
    private final boolean auth;
    private final Optional<String> adminCredential;
    private final int keyMaxLength;
    private final int messageMaxBytes;
    private final int multiMaxKeys;
    private final int tokenMaxLength;
    private final int tokensPerKey;
    private final String nodeName;
    private final int nodeWeight;
    private final List<String> publicWebSocket;
    private final List<String> publicTcp;
    private final String httpHost;
    private final int httpPort;
    private final List<String> origins;
    private final boolean tcpEnabled;
    private final String tcpBindHost;
    private final int tcpBindPort;
    private final boolean tcpKeepalive;
    private final int tcpCommandMaxBytes;
    private final int tcpMaxConnections;
    private final String webSocketBindHost;
    private final int webSocketBindPort;
    private final int webSocketMaxConnections;
    private final int subMaxConnections;
    private final int webSocketHandshakeMaxBytes;
    private final String httpBindHost;
    private final int httpBindPort;
    private final int httpMaxConnections;
    private final int httpHeadMaxBytes;
    private final int httpWorkers;
    private final int httpIdleTimeoutSeconds;
    private final Map<String, String> redisServers;
    private final Map<String, Integer> redisWeights;
    private final String redisKeyPrefix;
    private final int redisTimeoutMillis;
    private final int redisPoolMaxTotal;
    private final int redisPoolMaxWaitMillis;

    /** @param lookup the raw value of a property, empty when it is not set */
    public PushSettings(Function<String, Optional<String>> lookup) {
        heartbeatMin = positive(lookup, HEARTBEAT_MIN, 30);
        heartbeatGrace = atLeast(lookup, HEARTBEAT_GRACE, 5, 0);
        subscribersPerKey = positive(lookup, SUBSCRIBERS_PER_KEY, 64);
        sendQueue = positive(lookup, SEND_QUEUE, 30);
        store = text(lookup, STORE, "jpa");
        storeCap = positive(lookup, STORE_CAP, 20);
        purgeIntervalSeconds = positive(lookup, PURGE_INTERVAL, 60);
        storeTimeoutMillis = positive(lookup, STORE_TIMEOUT_MS, 2000);
        idempotencyWindowSeconds = positive(lookup, IDEMPOTENCY_WINDOW, 600);
        idempotencyKeyMaxLength = positive(lookup, IDEMPOTENCY_KEY_MAX_LENGTH, 256);
        auth = Boolean.parseBoolean(text(lookup, AUTH, "false"));
        adminCredential = lookup.apply(ADMIN_CREDENTIAL).map(String::strip).filter(s -> !s.isEmpty());
        effective.put(ADMIN_CREDENTIAL, adminCredential.isPresent() ? "(set)" : "(none: loopback only)");
        keyMaxLength = positive(lookup, KEY_MAX_LENGTH, 128);
        messageMaxBytes = positive(lookup, MESSAGE_MAX_BYTES, 32 * 1024);
        multiMaxKeys = positive(lookup, MULTI_MAX_KEYS, 1000);
        tokenMaxLength = positive(lookup, TOKEN_MAX_LENGTH, 256);
        tokensPerKey = positive(lookup, TOKENS_PER_KEY, 16);
        nodeName = text(lookup, NODE_NAME, lookup.apply(PAYARA_INSTANCE_NAME).map(String::strip)
                .filter(s -> !s.isEmpty()).orElse("node-1"));
        httpHost = lookup.apply(PAYARA_HTTP_ADDRESS).map(String::strip).orElse("");
        httpPort = lookup.apply(PAYARA_HTTP_PORT).map(String::strip).map(HostPort::port).orElse(0);
        nodeWeight = positive(lookup, NODE_WEIGHT, 1);
        publicWebSocket = list(lookup, PUBLIC_WS);
        publicTcp = list(lookup, PUBLIC_TCP);
        origins = list(lookup, ORIGINS);
        tcpEnabled = Boolean.parseBoolean(text(lookup, TCP_ENABLED, "true"));
        HostPort tcpBind = HostPort.parse(TCP_BIND, text(lookup, TCP_BIND, "127.0.0.1:6969"));
        tcpBindHost = tcpBind.host();
        tcpBindPort = tcpBind.port();
        tcpKeepalive = Boolean.parseBoolean(text(lookup, TCP_KEEPALIVE, "false"));
        tcpCommandMaxBytes = positive(lookup, TCP_COMMAND_MAX_BYTES, 1024);
        tcpMaxConnections = positive(lookup, TCP_MAX_CONNECTIONS, 19_000);
        String webSocketBind = text(lookup, WEBSOCKET_BIND, "");
        HostPort webSocket = webSocketBind.isEmpty() ? new HostPort("", 0) : HostPort.parse(WEBSOCKET_BIND, webSocketBind);
        webSocketBindHost = webSocket.host();
        webSocketBindPort = webSocket.port();
        webSocketMaxConnections = positive(lookup, WEBSOCKET_MAX_CONNECTIONS, 19_000);
        subMaxConnections = positive(lookup, SUB_MAX_CONNECTIONS, 19_000);
        webSocketHandshakeMaxBytes = positive(lookup, WEBSOCKET_HANDSHAKE_MAX_BYTES, 8192);
        String httpBind = text(lookup, HTTP_BIND, "");
        HostPort http = httpBind.isEmpty() ? new HostPort("", 0) : HostPort.parse(HTTP_BIND, httpBind);
        httpBindHost = http.host();
        httpBindPort = http.port();
        httpMaxConnections = positive(lookup, HTTP_MAX_CONNECTIONS, 4096);
        httpHeadMaxBytes = positive(lookup, HTTP_HEAD_MAX_BYTES, 8192);
        httpWorkers = positive(lookup, HTTP_WORKERS, 32);
        httpIdleTimeoutSeconds = positive(lookup, HTTP_IDLE_TIMEOUT, 60);
        redisServers = redisServers(lookup);
        redisWeights = redisWeights(lookup, redisServers.keySet());
        redisKeyPrefix = text(lookup, REDIS_KEY_PREFIX, "push:m:");
        redisTimeoutMillis = positive(lookup, REDIS_TIMEOUT_MS, 2000);
        redisPoolMaxTotal = positive(lookup, REDIS_POOL_MAX_TOTAL, 32);
        redisPoolMaxWaitMillis = positive(lookup, REDIS_POOL_MAX_WAIT_MS, 2000);
    }

    private String text(Function<String, Optional<String>> lookup, String name, String fallback) {
        String value = lookup.apply(name).map(String::strip).filter(s -> !s.isEmpty()).orElse(fallback);
        effective.put(name, value);
        return value;
    }

    private int positive(Function<String, Optional<String>> lookup, String name, int fallback) {
        return atLeast(lookup, name, fallback, 1);
    }

    private int atLeast(Function<String, Optional<String>> lookup, String name, int fallback, int minimum) {
        String raw = text(lookup, name, Integer.toString(fallback));
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + raw + "'");
        }
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", not " + value);
        }
        return value;
    }

    private List<String> list(Function<String, Optional<String>> lookup, String name) {
        return splitList(text(lookup, name, ""));
    }

    private Map<String, String> redisServers(Function<String, Optional<String>> lookup) {
        String raw = lookup.apply(REDIS_SERVERS).map(String::strip).filter(s -> !s.isEmpty())
                .orElse("local=redis://127.0.0.1:6379");
        Map<String, String> servers = namedValues(REDIS_SERVERS, raw);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException(REDIS_SERVERS + " names no server");
        }
        // a server's password must not show in the admin statistics
        effective.put(REDIS_SERVERS, raw.replaceAll("//[^/,]*@", "//***@"));
        return servers;
    }

    private Map<String, Integer> redisWeights(Function<String, Optional<String>> lookup, Set<String> servers) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        servers.forEach(server -> weights.put(server, 1));
        namedValues(REDIS_WEIGHTS, text(lookup, REDIS_WEIGHTS, "")).forEach((server, raw) -> {
            if (!servers.contains(server)) {
                throw new IllegalArgumentException(REDIS_WEIGHTS + " names '" + server + "', which "
                        + REDIS_SERVERS + " does not");
            }
            int weight;
            try {
                weight = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(REDIS_WEIGHTS + ": the weight of '" + server
                        + "' must be a whole number, not '" + raw + "'");
            }
            if (weight < 1) {
                throw new IllegalArgumentException(REDIS_WEIGHTS + ": the weight of '" + server
                        + "' must be at least 1, not " + weight);
            }
            weights.put(server, weight);
        });
        return Collections.unmodifiableMap(weights);
    }

    /** {@code name=value,...} in the order given; names must be distinct. */
    private static Map<String, String> namedValues(String property, String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String entry : splitList(raw)) {
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals).strip();
            String value = equals < 0 ? "" : entry.substring(equals + 1).strip();
            if (name.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException(property + " entries must be name=value, not '" + entry + "'");
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException(property + " names '" + name + "' twice");
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /** The non-blank items of a comma-separated value, stripped. */
    public static List<String> splitList(String raw) {
        List<String> values = new ArrayList<>();
        Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(values::add);
        return Collections.unmodifiableList(values);
    }

    /** Minimum heartbeat a subscriber may ask for, in seconds. */
    public int heartbeatMin() {
        return heartbeatMin;
    }

    /** Seconds added to a subscriber's heartbeat before a silent connection is closed. */
    public int heartbeatGrace() {
        return heartbeatGrace;
    }

    /** Connections one key may hold (gopush-cluster's maxsubscriber). */
    public int subscribersPerKey() {
        return subscribersPerKey;
    }

    /** Frames a connection may have waiting to be written before it is closed as too slow (msgbuf). */
    public int sendQueue() {
        return sendQueue;
    }

    /** The message store backend: {@code jpa}, {@code redis} or {@code memory}. */
    public String store() {
        return store;
    }

    /** Stored messages kept per key; the newest are kept. */
    public int storeCap() {
        return storeCap;
    }

    /**
     * How long a save of the JPA store may wait for its batch (one still waiting then fails unwritten),
     * and how long a batch's statements may take.
     */
    public int storeTimeoutMillis() {
        return storeTimeoutMillis;
    }

    /** How long a push's idempotency key is remembered, in seconds. */
    public int idempotencyWindowSeconds() {
        return idempotencyWindowSeconds;
    }

    public int idempotencyKeyMaxLength() {
        return idempotencyKeyMaxLength;
    }

    public int purgeIntervalSeconds() {
        return purgeIntervalSeconds;
    }

    /** Whether subscribers must present a registered token. */
    public boolean auth() {
        return auth;
    }

    /** The credential admin callers must present; empty means admin endpoints answer loopback only. */
    public Optional<String> adminCredential() {
        return adminCredential;
    }

    public int keyMaxLength() {
        return keyMaxLength;
    }

    /** Whether a subscriber key may be used: present, not empty, at most {@code push.limit.key-length}. */
    public boolean acceptsKey(String key) {
        return key != null && !key.isEmpty() && key.length() <= keyMaxLength;
    }

    /** Whether a token may be used: present, not empty, at most {@code push.limit.token-length}. */
    public boolean acceptsToken(String token) {
        return token != null && !token.isEmpty() && token.length() <= tokenMaxLength;
    }

    public int messageMaxBytes() {
        return messageMaxBytes;
    }

    public int multiMaxKeys() {
        return multiMaxKeys;
    }

    public int tokenMaxLength() {
        return tokenMaxLength;
    }

    public int tokensPerKey() {
        return tokensPerKey;
    }

    /** This member's name on the ring: the setting, else Payara's instance name, else node-1. */
    public String nodeName() {
        return nodeName;
    }

    public int nodeWeight() {
        return nodeWeight;
    }

    /** Public WebSocket addresses (host:port) of this node; empty means the address a request came in on. */
    public List<String> publicWebSocket() {
        return publicWebSocket;
    }

    /** The host of the HTTP listener as Payara reports it; empty when unknown. */
    public String httpHost() {
        return httpHost;
    }

    /** The port of the HTTP listener as Payara reports it; 0 when unknown. */
    public int httpPort() {
        return httpPort;
    }

    /** Public TCP addresses (host:port) of this node as configured; empty means the listener's own address. */
    public List<String> publicTcp() {
        return publicTcp;
    }

    /** Browser origins allowed to subscribe; empty allows every origin. */
    public List<String> origins() {
        return origins;
    }

    /** Whether this node listens for subscribers on TCP (PROTOCOL.md A.5). */
    public boolean tcpEnabled() {
        return tcpEnabled;
    }

    /** The TCP listener's address as configured: host:port, an IPv6 host in brackets. */
    public String tcpBind() {
        return tcpBindHost + ":" + tcpBindPort;
    }

    /** The host part of {@link #tcpBind()}, IPv6 brackets included. */
    public String tcpBindHost() {
        return tcpBindHost;
    }

    public int tcpBindPort() {
        return tcpBindPort;
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

    /** Whether this node runs its own WebSocket listener ({@code push.websocket.bind} is set). */
    public boolean webSocketEnabled() {
        return webSocketBindPort != 0;
    }

    /** The WebSocket listener's address as configured, host:port; empty when it is off. */
    public String webSocketBind() {
        return webSocketEnabled() ? webSocketBindHost + ":" + webSocketBindPort : "";
    }

    /** The host part of {@link #webSocketBind()}, IPv6 brackets included. */
    public String webSocketBindHost() {
        return webSocketBindHost;
    }

    public int webSocketBindPort() {
        return webSocketBindPort;
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

    /** Whether this node runs its own HTTP listener ({@code push.http.bind} is set). */
    public boolean httpListenerEnabled() {
        return httpBindPort != 0;
    }

    /** The host part of {@code push.http.bind}, IPv6 brackets included; empty when the listener is off. */
    public String httpBindHost() {
        return httpBindHost;
    }

    public int httpBindPort() {
        return httpBindPort;
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

    /**
     * The Redis servers the {@code redis} store shards keys over: name to
     * {@code redis[s]://[user:password@]host[:port][/database]}, in the order configured.
     */
    public Map<String, String> redisServers() {
        return redisServers;
    }

    /** The weight of every Redis server on the store's ketama ring; 1 unless configured. */
    public Map<String, Integer> redisWeights() {
        return redisWeights;
    }

    /** What the name of every Redis key the store writes starts with. */
    public String redisKeyPrefix() {
        return redisKeyPrefix;
    }

    /** How long connecting to Redis, and waiting for any one reply, may take. */
    public int redisTimeoutMillis() {
        return redisTimeoutMillis;
    }

    /** Connections open at most to each Redis server. */
    public int redisPoolMaxTotal() {
        return redisPoolMaxTotal;
    }

    /** How long a call waits for a free connection when all of a server's are in use. */
    public int redisPoolMaxWaitMillis() {
        return redisPoolMaxWaitMillis;
    }

    /** Every setting with the value in force, the admin credential and Redis passwords masked. */
    public Map<String, String> effective() {
        return Collections.unmodifiableMap(effective);
    }
}
