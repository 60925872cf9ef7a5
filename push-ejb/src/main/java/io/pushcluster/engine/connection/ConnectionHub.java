package io.pushcluster.engine.connection;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.Disconnect;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The connections of this node, per key. Each key's connections are an array replaced on every
 * change, so delivering, the frequent operation, reads without locking.
 */
@ApplicationScoped
public class ConnectionHub {

    private static final Connection[] NONE = new Connection[0];

    private final ConcurrentHashMap<String, Connection[]> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private int perKeyLimit;
    private boolean kickOldest;
    private PushStats stats;

    protected ConnectionHub() {
    }

    @Inject
    public ConnectionHub(PushSettings settings, PushStats stats) {
        this.perKeyLimit = settings.subscribersPerKey();
        this.kickOldest = settings.kickOldest();
        this.stats = stats;
    }

    /**
     * Adds a connection. When its key already holds the maximum number of connections, the connection
     * is refused (false), or with {@code push.subscribers.on-excess=kick-oldest} the key's oldest
     * connection is kicked to make room.
     */
    public boolean add(Connection connection) {
        boolean[] added = {false};
        Connection[] kicked = {null};
        byKey.compute(connection.key(), (key, current) -> {
            Connection[] present = current == null ? NONE : current;
            if (present.length >= perKeyLimit) {
                if (!kickOldest) {
                    return current;
                }
                kicked[0] = present[0];
                Connection[] next = Arrays.copyOfRange(present, 1, present.length + 1);
                next[present.length - 1] = connection;
                added[0] = true;
                return next;
            }
            Connection[] next = Arrays.copyOf(present, present.length + 1);
            next[present.length] = connection;
            added[0] = true;
            return next;
        });
        if (kicked[0] != null) {
            count.decrementAndGet();
            stats.closed(kicked[0].transport());
            endOne(kicked[0], Ending.KICKED);
        }
        if (added[0]) {
            count.incrementAndGet();
            stats.opened(connection.transport());
        } else {
            stats.refused(Refusal.KEY_FULL);
        }
        return added[0];
    }

    /** Ends every connection of the key, telling each why; returns how many. */
    public int end(String key, Ending why) {
        Connection[] connections = byKey.get(key);
        if (connections == null) {
            return 0;
        }
        for (Connection connection : connections) {
            endOne(connection, why);
            remove(connection);
        }
        return connections.length;
    }

    /** Counts a kick or a ban and ends the connection, telling it why. */
    private void endOne(Connection connection, Ending why) {
        if (why == Ending.KICKED) {
            stats.disconnected(Disconnect.KICKED);
        } else if (why == Ending.BANNED) {
            stats.disconnected(Disconnect.BANNED);
        }
        connection.end(why);
    }

    /** Removes a connection; removing one that is not held does nothing. */
    public void remove(Connection connection) {
        boolean[] removed = {false};
        byKey.computeIfPresent(connection.key(), (key, current) -> {
            int at = indexOf(current, connection);
            if (at < 0) {
                return current;
            }
            removed[0] = true;
            if (current.length == 1) {
                return null;
            }
            Connection[] next = new Connection[current.length - 1];
            System.arraycopy(current, 0, next, 0, at);
            System.arraycopy(current, at + 1, next, at, current.length - at - 1);
            return next;
        });
        if (removed[0]) {
            count.decrementAndGet();
            stats.closed(connection.transport());
        }
    }

    private static int indexOf(Connection[] connections, Connection wanted) {
        for (int i = 0; i < connections.length; i++) {
            if (connections[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Sends the message to every connection of the key; returns to how many it was queued. */
    public int deliver(String key, PushedMessage message) {
        Connection[] connections = byKey.get(key);
        if (connections == null) {
            return 0;
        }
        int sent = 0;
        for (Connection connection : connections) {
            if (connection.send(message)) {
                sent++;
            }
        }
        if (sent > 0) {
            stats.deliveredSince(message.acceptedNanos());
        }
        return sent;
    }

    /** Sends the message to every connection of every key (a public message); returns to how many it was queued. */
    public int deliverToAll(PushedMessage message) {
        int sent = 0;
        for (Connection[] connections : byKey.values()) {
            for (Connection connection : connections) {
                if (connection.send(message)) {
                    sent++;
                }
            }
        }
        if (sent > 0) {
            stats.deliveredSince(message.acceptedNanos());
        }
        return sent;
    }

    /** Closes every connection silent for longer than its limit; returns how many. */
    public int closeSilent(long nowNanos) {
        List<Connection> silent = new ArrayList<>();
        for (Connection[] connections : byKey.values()) {
            for (Connection connection : connections) {
                if (nowNanos - connection.lastHeardNanos() > connection.silenceLimitNanos()) {
                    silent.add(connection);
                }
            }
        }
        for (Connection connection : silent) {
            stats.disconnected(Disconnect.HEARTBEAT_TIMEOUT);
            connection.close();
            remove(connection);
        }
        return silent.size();
    }

    /** Closes every connection whose key the predicate names (for example keys gone to another member); returns how many. */
    public int closeWhere(Predicate<String> keyFilter) {
        List<Connection> closing = new ArrayList<>();
        byKey.forEach((key, connections) -> {
            if (keyFilter.test(key)) {
                closing.addAll(Arrays.asList(connections));
            }
        });
        for (Connection connection : closing) {
            connection.close();
            remove(connection);
        }
        return closing.size();
    }

    /** Closes every connection, as the application stops. */
    public void closeAll() {
        for (Connection[] connections : byKey.values()) {
            for (Connection connection : connections) {
                connection.close();
                remove(connection);
            }
        }
    }

    public int connections() {
        return count.get();
    }

    public int keys() {
        return byKey.size();
    }

    public int connectionsOf(String key) {
        Connection[] connections = byKey.get(key);
        return connections == null ? 0 : connections.length;
    }
}
