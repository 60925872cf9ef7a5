package io.pushcluster.engine.push;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.Expiry;
import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.MessageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What became of pushes sent with an idempotency key, so that a back end may send a push again when
 * it does not know whether the first try worked (its connection dropped, a member died) and get the
 * first try's answer instead of a second copy. A record per idempotency key and subscriber key lives
 * for {@code push.idempotency.window} seconds in a map every member shares (it survives the loss of
 * any one member). The owner of the subscriber key claims the record before it pushes, notes the mid
 * it gave, and marks the record done once the push succeeded; a failed push gives the claim up, so
 * that the next try pushes for real. A try that finds a claim of a live member waits for it; a claim
 * left by a member that died is settled by looking for its mid in the store: stored means done.
 *
 * <p>A record is {@code state|member|mid|expiresAt|fingerprint}: {@code c} (claimed) or {@code d}
 * (done), the claiming member's grid id, the mid (0 before it is given), when the record may be
 * forgotten, and a hash of the message and expiry, so that a key reused for another push is refused.
 */
@ApplicationScoped
public class IdempotencyKeys {

    static final String MAP = "push.idempotency";
    private static final long POLL_NANOS = 10_000_000L;

    private SharedMap records;
    private Supplier<Collection<String>> liveMembers;
    private String localId;
    private MessageStore store;
    private long windowSeconds;
    private LongSupplier clockMillis;

    protected IdempotencyKeys() {
    }

    @Inject
    public IdempotencyKeys(PushSettings settings, Grid grid, Membership membership, MessageStore store) {
        this(grid.sharedMap(MAP), membership::liveMemberIds, grid.localId(), store,
                settings.idempotencyWindowSeconds(), System::currentTimeMillis);
    }

    IdempotencyKeys(SharedMap records, Supplier<Collection<String>> liveMembers, String localId, MessageStore store,
            long windowSeconds, LongSupplier clockMillis) {
        this.records = records;
        this.liveMembers = liveMembers;
        this.localId = localId;
        this.store = store;
        this.windowSeconds = windowSeconds;
        this.clockMillis = clockMillis;
    }

    /** A record as text and back. */
    private record Entry(boolean done, String member, long mid, long expiresAt, String fingerprint) {

        String text() {
            return (done ? "d" : "c") + "|" + member + "|" + mid + "|" + expiresAt + "|" + fingerprint;
        }

        static Entry parse(String text) {
            String[] fields = text.split("\\|", 5);
            if (fields.length != 5) {
                throw new IllegalArgumentException("not an idempotency record: " + text);
            }
            return new Entry("d".equals(fields[0]), fields[1], Long.parseLong(fields[2]), Long.parseLong(fields[3]),
                    fields[4]);
        }
    }

    /** A hash of what a push carries, to tell a retry from another push under the same idempotency key. */
    static String fingerprint(String json, long expireSeconds) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (expireSeconds + ":" + json).getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return Long.toHexString(hash);
    }

    private static String name(String idempotencyKey, String key) {
        return idempotencyKey + "\n" + key;
    }

    /**
     * Claims each key for this push, unless an earlier try with the same idempotency key did it.
     *
     * @return the keys an earlier try pushed to, with the mid it gave; the others are claimed now
     * @throws InvalidParameterException when the idempotency key was used for another push
     * @throws PushFailedException when an earlier try is still under way on a live member at the
     *     deadline; nothing of this push was claimed then
     */
    Map<String, Long> claim(String idempotencyKey, SortedSet<String> keys, String fingerprint, long deadlineNanos) {
        Map<String, Long> done = new HashMap<>();
        List<String> claimed = new ArrayList<>();
        try {
            for (String key : keys) {
                long mid = claimOne(idempotencyKey, key, fingerprint, deadlineNanos);
                if (mid > 0) {
                    done.put(key, mid);
                } else {
                    claimed.add(key);
                }
            }
        } catch (RuntimeException e) {
            release(idempotencyKey, claimed);
            throw e;
        }
        return done;
    }

    /** 0 when claimed now; else the mid of the earlier try that did it. */
    private long claimOne(String idempotencyKey, String key, String fingerprint, long deadlineNanos) {
        String name = name(idempotencyKey, key);
        while (true) {
            long now = clockMillis.getAsLong();
            Entry mine = new Entry(false, localId, 0, Expiry.at(now, windowSeconds), fingerprint);
            String existing = records.putIfAbsent(name, mine.text());
            if (existing == null) {
                return 0;
            }
            Entry found = Entry.parse(existing);
            if (found.expiresAt() <= now) {
                records.remove(name, existing);
                continue;
            }
            if (!found.fingerprint().equals(fingerprint)) {
                throw new InvalidParameterException("the idempotency key was used for another push");
            }
            if (found.done()) {
                return found.mid();
            }
            if (liveMembers.get().contains(found.member()) || found.member().equals(localId)) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new PushFailedException("a push with this idempotency key is still under way");
                }
                LockSupport.parkNanos(POLL_NANOS);
                continue;
            }
            // the member that claimed it died: done if what it gave a mid to was stored
            if (found.mid() > 0 && stored(key, found.mid())) {
                Entry settled = new Entry(true, found.member(), found.mid(), found.expiresAt(), fingerprint);
                if (records.replace(name, existing, settled.text())) {
                    return found.mid();
                }
            } else {
                records.remove(name, existing);
            }
        }
    }

    private boolean stored(String key, long mid) {
        List<StoredMessage> from = store.messagesAfter(key, mid - 1, clockMillis.getAsLong());
        return !from.isEmpty() && from.get(0).mid() == mid;
    }

    /** Notes the mid given to the claimed keys' push, before it is stored. */
    void noteMid(String idempotencyKey, Collection<String> keys, long mid) {
        update(idempotencyKey, keys, entry -> new Entry(false, entry.member(), mid, entry.expiresAt(), entry.fingerprint()));
    }

    /** The claimed keys' push succeeded: later tries are answered with its mid. */
    void done(String idempotencyKey, Collection<String> keys, long mid) {
        update(idempotencyKey, keys, entry -> new Entry(true, entry.member(), mid, entry.expiresAt(), entry.fingerprint()));
    }

    /** The claimed keys' push failed (or never began): the next try pushes for real. */
    void release(String idempotencyKey, Collection<String> keys) {
        for (String key : keys) {
            String name = name(idempotencyKey, key);
            String current = records.get(name);
            if (current == null) {
                continue;
            }
            Entry entry = Entry.parse(current);
            if (entry.member().equals(localId) && !entry.done()) {
                records.remove(name, current);
            }
        }
    }

    private void update(String idempotencyKey, Collection<String> keys, UnaryOperator<Entry> change) {
        for (String key : keys) {
            String name = name(idempotencyKey, key);
            String current = records.get(name);
            if (current != null) {
                records.replace(name, current, change.apply(Entry.parse(current)).text());
            }
        }
    }

    /** Forgets the records this member holds whose window has passed; returns how many. */
    public int purgeExpired() {
        long now = clockMillis.getAsLong();
        int purged = 0;
        for (String name : records.localKeys()) {
            String current = records.get(name);
            if (current != null && Entry.parse(current).expiresAt() <= now && records.remove(name, current)) {
                purged++;
            }
        }
        return purged;
    }
}
