package io.pushcluster.engine.cluster;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.Expiry;
import io.pushcluster.engine.grid.SharedMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Entries blocked until a time (banned keys, denied client addresses): kept in a map every member
 * shares (so they survive the loss of a member), and mirrored in each member's memory, so that a check
 * never asks the grid. {@link AccessControls} tells every member of a change as it is made;
 * {@link #refresh} reloads the mirror now and then, for a member that joined or missed a change, and
 * drops the entries whose time is up.
 */
public final class Blocklist {

    private final String what;
    private final SharedMap shared;
    private final int limit;
    private final LongSupplier clockMillis;
    private final ConcurrentHashMap<String, Long> mirror = new ConcurrentHashMap<>();
    /** Counts the changes applied to the mirror, so that a reload that raced one is not kept. */
    private final AtomicLong changes = new AtomicLong();

    /** @param what what an entry is, for the error at the limit ("bans") */
    public Blocklist(String what, SharedMap shared, int limit, LongSupplier clockMillis) {
        this.what = what;
        this.shared = shared;
        this.limit = limit;
        this.clockMillis = clockMillis;
        refresh();
    }

    /**
     * Blocks the entry for the seconds given, from now (replacing its earlier time); returns when the
     * block ends, in milliseconds since the epoch.
     *
     * @throws InvalidParameterException when the cluster holds the limit of entries already
     */
    public long block(String key, long seconds) {
        long until = Expiry.at(clockMillis.getAsLong(), seconds);
        if (shared.get(key) == null && shared.size() >= limit) {
            throw new InvalidParameterException("the cluster holds " + limit + " " + what + " already");
        }
        shared.put(key, Long.toString(until));
        mirror(key, until);
        return until;
    }

    /** Lifts the entry's block, if it has one. */
    public void lift(String key) {
        shared.remove(key);
        mirror(key, 0);
    }

    /** Whether the entry is blocked now, as this member's mirror says. */
    public boolean contains(String key) {
        Long until = mirror.get(key);
        return until != null && until > clockMillis.getAsLong();
    }

    /** Applies a change made on this member or another to this member's mirror; 0 lifts the block. */
    synchronized void mirror(String key, long until) {
        changes.incrementAndGet();
        if (until > clockMillis.getAsLong()) {
            mirror.put(key, until);
        } else {
            mirror.remove(key);
        }
    }

    /**
     * Removes the ended entries this member holds the primary copy of from the shared map, then reloads the
     * mirror from it, unless a change arrived meanwhile (the next refresh reloads it then).
     */
    public void refresh() {
        long now = clockMillis.getAsLong();
        for (String key : shared.localKeys()) {
            String until = shared.get(key);
            if (until != null && parse(until) <= now) {
                shared.remove(key, until);
            }
        }
        long before = changes.get();
        Map<String, Long> loaded = new HashMap<>();
        shared.snapshot().forEach((key, until) -> {
            long end = parse(until);
            if (end > now) {
                loaded.put(key, end);
            }
        });
        synchronized (this) {
            if (changes.get() == before && !loaded.equals(mirror)) {
                mirror.keySet().retainAll(loaded.keySet());
                mirror.putAll(loaded);
                changes.incrementAndGet();
            }
        }
    }

    /** The entries blocked now, as this member's mirror says, with when each block ends. */
    public Map<String, Long> entries() {
        long now = clockMillis.getAsLong();
        Map<String, Long> live = new HashMap<>();
        mirror.forEach((key, until) -> {
            if (until > now) {
                live.put(key, until);
            }
        });
        return live;
    }

    /** Grows with every change to the mirror: a reader that caches what it made of the entries compares it. */
    public long version() {
        return changes.get();
    }

    private static long parse(String until) {
        try {
            return Long.parseLong(until);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
