package io.pushcluster.engine.push;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.FailureLog;
import io.pushcluster.engine.cluster.ClusterView;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.OwnerRequests;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.message.PublicStream;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Has the member that owns each key push to it: this one ({@link OwnedPushes}), or the owner asked
 * over the grid and its answer awaited; keys whose owner left before it was asked are pushed again on
 * their new owner, and a push whose owner died while it stored is settled by what the store holds.
 */
final class OwnerRouting {

    private static final Logger LOG = Logger.getLogger(OwnerRouting.class.getName());

    /** What the asking member adds to the store's longest save when it waits for an owner's answer. */
    static final long GRID_MARGIN_MILLIS = 2_000;
    /** How often a push is tried on the owner of its key, when owners leave before they are asked. */
    private static final int OWNER_ATTEMPTS = 3;

    private final Membership membership;
    private final OwnedPushes owned;
    private final OwnerRequests requests;
    private final MessageIdSource ids;
    private final MessageStore store;
    private final PushStats stats;
    private final FailureLog failures = new FailureLog(LOG);

    OwnerRouting(Membership membership, OwnedPushes owned, OwnerRequests requests, MessageIdSource ids,
            MessageStore store, PushStats stats) {
        this.membership = membership;
        this.owned = owned;
        this.requests = requests;
        this.ids = ids;
        this.store = store;
        this.stats = stats;
    }

    /**
     * Pushes to each key on its owner. Keys whose owner turns out to have left before it was asked
     * (nothing was sent), or which the member asked does not own, are pushed again on their owner in
     * a view read anew, a few times at most.
     */
    PushOutcome push(Set<String> keys, String json, long expireSeconds, String idempotencyKey) {
        if (idempotencyKey == null && membership.view().alone()) {
            // a member alone: every key is pushed here, without sorting them out by owner
            return owned.push(new TreeSet<>(keys), json, expireSeconds);
        }
        PushOutcome outcome = null;
        Set<String> failed = new HashSet<>();
        Set<String> pending = keys;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            boolean lastAttempt = attempt >= OWNER_ATTEMPTS;
            ClusterView view = membership.view();
            SortedSet<String> here = new TreeSet<>();
            Map<String, List<String>> elsewhere = new HashMap<>();
            for (String key : pending) {
                String owner = view.ownerIdOf(key);
                if (owner == null || view.isLocal(owner)) {
                    here.add(key);
                } else {
                    elsewhere.computeIfAbsent(owner, id -> new ArrayList<>()).add(key);
                }
            }
            Map<List<String>, CompletableFuture<PushOutcome>> asked = new HashMap<>();
            elsewhere.forEach((owner, owned) -> asked.put(owned, askOwner(owner, owned, json, expireSeconds,
                    idempotencyKey)));
            if (!here.isEmpty()) {
                outcome = idempotencyKey == null
                        ? owned.push(here, json, expireSeconds)
                        : owned.pushOnce(here, json, expireSeconds, idempotencyKey,
                                System.nanoTime() + (store.longestSaveMillis() + GRID_MARGIN_MILLIS) * 1_000_000L);
                failed.addAll(outcome.failed());
            }
            Set<String> again = new HashSet<>();
            for (CompletableFuture<PushOutcome> ask : asked.values()) {
                PushOutcome remote = ask.join();
                failed.addAll(remote.failed());
                again.addAll(remote.notOwned());
                if (!remote.lost().isEmpty()) {
                    long found = settleLost(remote, json, again, failed);
                    if (outcome == null && found > 0) {
                        outcome = new PushOutcome(found, List.of());
                    }
                }
                if (outcome == null && remote.mid() > 0) {
                    outcome = remote;
                }
            }
            if (!again.isEmpty()) {
                if (lastAttempt) {
                    failed.addAll(again);
                    stats.failed(again.size());
                    failures.log("a push to " + again.size() + " keys", new IllegalStateException(
                            "the members asked did not own the keys, " + OWNER_ATTEMPTS + " times"));
                    break;
                }
                membership.refresh();
            }
            pending = again;
        }
        return new PushOutcome(outcome == null ? 0 : outcome.mid(), failed);
    }

    /**
     * The owner died while it was asked to store a push. Once its save could no longer happen (the
     * stores give up on a save by then, and a Redis save run later writes nothing), the store tells
     * what it did: a key holding the message with a mid above the request's floor was stored (its
     * subscribers, moved to a new owner, fetch it from there); the others are pushed again on their
     * new owner. Identical messages pushed to one key in that moment cannot be told apart.
     *
     * @return the mid found, 0 when none
     */
    private long settleLost(PushOutcome remote, String json, Set<String> again, Set<String> failed) {
        long wait = remote.settledAtNanos() - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        long mid = 0;
        for (String key : remote.lost()) {
            try {
                long found = store.messagesAfter(key, remote.floorMid(), System.currentTimeMillis()).stream()
                        .filter(message -> message.message().equals(json)).mapToLong(StoredMessage::mid).findFirst()
                        .orElse(0);
                if (found > 0) {
                    mid = found;
                } else {
                    again.add(key);
                }
            } catch (RuntimeException e) {
                failures.log("looking for a push whose owner died in the store", e);
                failed.add(key);
                stats.failed(1);
            }
        }
        return mid;
    }

    /**
     * Has the owner push to its keys. The asker waits for the longest save of the store plus a margin
     * for the grid; the owner is given that time less a second, and does not begin a save it could not
     * finish within what is left of it, so that an answer that comes too late is rare and a timed-out
     * push is, as far as the owner could tell, not stored. Keys the member asked does not own (its
     * view has changed, or it is leaving) and keys of a member that had left before it was asked come
     * back as not owned, to be pushed on their owner in a view read anew.
     */
    private CompletableFuture<PushOutcome> askOwner(String owner, List<String> keys, String json, long expireSeconds,
            String idempotencyKey) {
        // with an idempotency key the owner may wait for an earlier try as long as it may take to store
        long waitMillis = (expireSeconds > 0 ? store.longestSaveMillis() : 0)
                + (idempotencyKey != null ? store.longestSaveMillis() + GRID_MARGIN_MILLIS : 0) + GRID_MARGIN_MILLIS;
        OwnerPush.Request request = new OwnerPush.Request(keys, PublicStream.gidOf(keys), json, expireSeconds,
                waitMillis - 1_000, ids.current(), idempotencyKey == null ? "" : idempotencyKey);
        stats.forwarded(keys.size());
        long sentNanos = System.nanoTime();
        return requests.ask(owner, request.toBytes(), waitMillis).handle((bytes, failure) -> {
            if (failure == null) {
                try {
                    OwnerPush.Reply reply = OwnerPush.Reply.fromBytes(bytes);
                    if (!reply.refused()) {
                        return new PushOutcome(reply.mid(), reply.failedKeys(), reply.notOwnedKeys());
                    }
                } catch (IllegalArgumentException e) {
                    failure = e;
                }
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof OwnerRequests.MemberGoneException gone) {
                stats.forwardFailed(keys.size());
                if (!gone.sent()) {
                    return new PushOutcome(0, List.of(), keys);
                }
                if (expireSeconds > 0 && idempotencyKey == null) {
                    return new PushOutcome(0, List.of(), List.of(), keys, sentNanos + waitMillis * 1_000_000L,
                            request.floorMid());
                }
            }
            failures.log("a push to " + keys.size() + " keys through their owner " + owner,
                    cause == null ? new IllegalStateException("the owner found the request invalid") : cause);
            stats.failed(keys.size());
            return new PushOutcome(0, keys);
        });
    }
}
