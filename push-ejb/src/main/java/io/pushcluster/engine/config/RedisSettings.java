package io.pushcluster.engine.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The settings of the {@code redis} store: its servers, their weights, timeouts and pools. */
public final class RedisSettings {

    public static final String SERVERS = "push.redis.servers";
    public static final String WEIGHTS = "push.redis.weights";
    public static final String KEY_PREFIX = "push.redis.key-prefix";
    public static final String TIMEOUT_MS = "push.redis.timeout-ms";
    public static final String POOL_MAX_TOTAL = "push.redis.pool.max-total";
    public static final String POOL_MAX_WAIT_MS = "push.redis.pool.max-wait-ms";

    private final Map<String, String> servers;
    private final Map<String, Integer> weights;
    private final String keyPrefix;
    private final int timeoutMillis;
    private final int poolMaxTotal;
    private final int poolMaxWaitMillis;

    RedisSettings(SettingsReader reader) {
        String raw = reader.raw(SERVERS).orElse("local=redis://127.0.0.1:6379");
        servers = SettingsReader.namedValues(SERVERS, raw);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException(SERVERS + " names no server");
        }
        // a server's password must not show in the admin statistics
        reader.note(SERVERS, raw.replaceAll("//[^/,]*@", "//***@"));
        weights = weights(reader.text(WEIGHTS, ""), servers.keySet());
        keyPrefix = reader.text(KEY_PREFIX, "push:m:");
        timeoutMillis = reader.positive(TIMEOUT_MS, 2000);
        poolMaxTotal = reader.positive(POOL_MAX_TOTAL, 32);
        poolMaxWaitMillis = reader.positive(POOL_MAX_WAIT_MS, 2000);
    }

    private static Map<String, Integer> weights(String raw, Set<String> servers) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        servers.forEach(server -> weights.put(server, 1));
        SettingsReader.namedValues(WEIGHTS, raw).forEach((server, text) -> {
            if (!servers.contains(server)) {
                throw new IllegalArgumentException(WEIGHTS + " names '" + server + "', which " + SERVERS + " does not");
            }
            int weight;
            try {
                weight = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(WEIGHTS + ": the weight of '" + server
                        + "' must be a whole number, not '" + text + "'");
            }
            if (weight < 1) {
                throw new IllegalArgumentException(WEIGHTS + ": the weight of '" + server
                        + "' must be at least 1, not " + weight);
            }
            weights.put(server, weight);
        });
        return Collections.unmodifiableMap(weights);
    }

    /**
     * The Redis servers the store shards keys over: name to
     * {@code redis[s]://[user:password@]host[:port][/database]}, in the order configured.
     */
    public Map<String, String> servers() {
        return servers;
    }

    /** The weight of every server on the store's ketama ring; 1 unless configured. */
    public Map<String, Integer> weights() {
        return weights;
    }

    /** What the name of every Redis key the store writes starts with. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How long connecting to Redis, and waiting for any one reply, may take. */
    public int timeoutMillis() {
        return timeoutMillis;
    }

    /** Connections open at most to each server. */
    public int poolMaxTotal() {
        return poolMaxTotal;
    }

    /** How long a call waits for a free connection when all of a server's are in use. */
    public int poolMaxWaitMillis() {
        return poolMaxWaitMillis;
    }
}
