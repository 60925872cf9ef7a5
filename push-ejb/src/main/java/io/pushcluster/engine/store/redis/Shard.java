package io.pushcluster.engine.store.redis;

import io.pushcluster.engine.store.StoreUnavailableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/** One Redis server of the store and its pool of connections, created once and closed on shutdown. */
final class Shard implements AutoCloseable {

    /** How often the difference between Redis's clock and this JVM's is measured again. */
    private static final long CLOCK_CHECK_NANOS = 60_000_000_000L;

    private final String name;
    private final ShardAddress address;
    private final JedisPool pool;
    private final long budgetMillis;
    /** Redis's clock minus this JVM's, in ms, as last measured. */
    private volatile long clockOffsetMillis;
    private volatile long clockCheckedNanos;
    private volatile boolean clockChecked;

    Shard(String name, ShardAddress address, int timeoutMillis, int maxConnections, int maxWaitMillis) {
        this.name = name;
        this.address = address;
        this.budgetMillis = timeoutMillis - Math.min(200, timeoutMillis / 5);
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

    /**
     * The time, on Redis's clock, after which a write begun at {@code startedMillis} (this JVM's
     * clock) must not happen: a little before this store stops waiting for the answer
     * ({@code push.redis.timeout-ms}, less a fifth of it or 200 ms, whichever is smaller, for the
     * answer's way back and for the error of the clock comparison). The difference between the two
     * clocks is measured on the connection (TIME, half the round trip taken as the error) at the
     * first call and once a minute, so the servers' clocks need not agree.
     */
    long deadline(Jedis jedis, long startedMillis) {
        if (!clockChecked || System.nanoTime() - clockCheckedNanos > CLOCK_CHECK_NANOS) {
            long before = System.currentTimeMillis();
            List<String> time = jedis.time();
            long after = System.currentTimeMillis();
            long redisMillis = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
            clockOffsetMillis = redisMillis - (before + after) / 2;
            clockCheckedNanos = System.nanoTime();
            clockChecked = true;
        }
        return startedMillis + budgetMillis + clockOffsetMillis;
    }

    /** The failure of a save that Redis ran after its deadline, and so did not write. */
    StoreUnavailableException late() {
        return new StoreUnavailableException("Redis server '" + name + "' (" + address
                + ") ran a save after its deadline; it wrote nothing");
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
