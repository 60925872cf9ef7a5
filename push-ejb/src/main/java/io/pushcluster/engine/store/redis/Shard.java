package io.pushcluster.engine.store.redis;

import io.pushcluster.engine.store.StoreUnavailableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/** One Redis server of the store and its pool of connections, created once and closed on shutdown. */
final class Shard implements AutoCloseable {

    private final String name;
    private final ShardAddress address;
    private final JedisPool pool;

    Shard(String name, ShardAddress address, int timeoutMillis, int maxConnections, int maxWaitMillis) {
        this.name = name;
        this.address = address;
        // no evictor thread: a connection that died while idle is noticed by the next call
        GenericObjectPoolConfig<Jedis> limits = new GenericObjectPoolConfig<>();
        limits.setMaxTotal(maxConnections);
        limits.setMaxIdle(maxConnections);
        limits.setMaxWait(Duration.ofMillis(maxWaitMillis));
        limits.setJmxEnabled(false);
        this.pool = new JedisPool(limits, address.hostAndPort(), address.clientConfig(timeoutMillis));
    }

    String name() {
        return name;
    }

    /**
     * Runs commands on a pooled connection.
     *
     * <p>A connection failure other than a time-out is tried once more on a new connection, after
     * dropping the idle ones: after a restart of the server every pooled connection is dead, and
     * every call of this store gives the same result when repeated.
     *
     * @throws StoreUnavailableException when the server cannot be reached, does not answer within
     *     the time-out, or refuses the command
     */
    <T> T call(Function<Jedis, T> commands) {
        try {
            return attempt(commands);
        } catch (JedisConnectionException e) {
            if (timedOut(e)) {
                throw unavailable(e);
            }
            pool.clear();
            try {
                return attempt(commands);
            } catch (JedisException again) {
                again.addSuppressed(e);
                throw unavailable(again);
            }
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    private <T> T attempt(Function<Jedis, T> commands) {
        try (Jedis jedis = pool.getResource()) {
            return commands.apply(jedis);
        }
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
            // a connect time-out is a suppressed exception, one per address tried
            for (Throwable suppressed : t.getSuppressed()) {
                if (timedOut(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private StoreUnavailableException unavailable(JedisException e) {
        return new StoreUnavailableException("Redis server '" + name + "' (" + address + "): " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
