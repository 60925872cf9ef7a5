package io.pushcluster.engine.push;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.PushService;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.FailureLog;
import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.cluster.ClusterView;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.OwnerRequests;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.message.JsonText;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
 * Pushes: checks limits, then has the member that owns each key do the push, this one
 * ({@link OwnedPushes}) or the owner asked over the grid: it gives the message its id, stores it when
 * it has an expiry, and only then delivers it to the connections of its keys. The store's calls run
 * in transactions of their own, so a save has committed before anything is delivered. Per key,
 * messages reach delivery in the order of their mids however many callers push at once and however
 * long each save takes ({@link OrderedDelivery}); a push answers once its own save's outcome is
 * known, and its message follows those before it. With an idempotency key, a push is done at most
 * once ({@link IdempotencyKeys}).
 *
 * <p>A plain bean without interceptors: the HTTP endpoints call it directly, and
 * {@link PushServiceBean} offers the same to other applications as an EJB. Its methods are those of
 * {@link io.pushcluster.api.PushService}, which it does not implement so that the EJB stays the only
 * bean of that type.
 */
@ApplicationScoped
public class Pushes implements PushService {

    private static final Logger LOG = Logger.getLogger(Pushes.class.getName());

    /** What the asking member adds to the store's longest save when it waits for an owner's answer. */
    static final long GRID_MARGIN_MILLIS = 2_000;
    /** How often a push is tried on the owner of its key, when owners leave before they are asked. */
    private static final int OWNER_ATTEMPTS = 3;

    @Inject
    PushSettings settings;

    @Inject
    MessageIdSource ids;

    @Inject
    MessageStore store;

    @Inject
    Membership membership;

    @Inject
    OwnerRequests requests;

    @Inject
    Tokens tokens;

    @Inject
    OwnedPushes owned;

    @Inject
    PushStats stats;

    private final FailureLog failures = new FailureLog(LOG);

    /**
     * Pushes to one key, on the member that owns it: this one, or the owner asked over the grid (its
     * answer awaited), since the owner alone orders the key's pushes.
     *
     * @return the message's mid
     * @throws PushFailedException when it was neither stored nor delivered
     */
    @Override
    public long push(String key, String message, long expireSeconds) {
        return push(key, message, expireSeconds, null);
    }

    /**
     * As {@link #push(String, String, long)}; a push sent again with the same idempotency key within
     * {@code push.idempotency.window} is answered with the first one's mid, and neither stored nor
     * delivered again.
     *
     * @param idempotencyKey null or empty for none
     */
    @Override
    public long push(String key, String message, long expireSeconds, String idempotencyKey) {
        requireKey(key);
        requireMessage(message, expireSeconds);
        PushOutcome outcome = pushByOwners(Set.of(key), message, expireSeconds, idempotency(idempotencyKey));
        if (!outcome.failed().isEmpty()) {
            throw new PushFailedException("storing the message failed");
        }
        return outcome.mid();
    }

    /**
     * Pushes one message to many keys, each on the member that owns it; the owners work at once.
     *
     * @return the keys it failed for
     */
    @Override
    public List<String> pushToMany(Collection<String> keys, String message, long expireSeconds) {
        return pushToMany(keys, message, expireSeconds, null);
    }

    /**
     * As {@link #pushToMany(Collection, String, long)}; sent again with the same idempotency key, each
     * key that the first try pushed to is skipped, and only the others are pushed.
     *
     * @param idempotencyKey null or empty for none
     */
    @Override
    public List<String> pushToMany(Collection<String> keys, String message, long expireSeconds, String idempotencyKey) {
        if (keys == null || keys.isEmpty()) {
            throw new InvalidParameterException("no keys");
        }
        if (keys.size() > settings.multiMaxKeys()) {
            throw new InvalidParameterException("more than " + settings.multiMaxKeys() + " keys");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String key : keys) {
            requireKey(key);
            distinct.add(key);
        }
        requireMessage(message, expireSeconds);
        PushOutcome outcome = pushByOwners(distinct, message, expireSeconds, idempotency(idempotencyKey));
        return distinct.stream().filter(outcome.failed()::contains).toList();
    }

    /** The idempotency key, null when there is none; a parameter error when it is too long. */
    private String idempotency(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isEmpty()) {
            return null;
        }
        if (idempotencyKey.length() > settings.idempotencyKeyMaxLength()) {
            throw new InvalidParameterException("idempotency key longer than " + settings.idempotencyKeyMaxLength()
                    + " characters");
        }
        return idempotencyKey;
    }

    /**
     * Pushes to each key on its owner. Keys whose owner turns out to have left before it was asked
     * (nothing was sent), or which the member asked does not own, are pushed again on their owner in
     * a view read anew, a few times at most.
     */
    private PushOutcome pushByOwners(Set<String> keys, String json, long expireSeconds, String idempotencyKey) {
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
        OwnerPush.Request request = new OwnerPush.Request(keys, PushedMessage.PRIVATE, json, expireSeconds,
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

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid) {
        requireKey(key);
        try {
            return store.messagesAfter(key, afterMid, System.currentTimeMillis());
        } catch (RuntimeException e) {
            failures.log("reading the messages of key " + key, e);
            throw new PushFailedException("reading stored messages failed", e);
        }
    }

    @Override
    public void deleteMessages(String key) {
        requireKey(key);
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            failures.log("deleting the messages of key " + key, e);
            throw new PushFailedException("deleting stored messages failed", e);
        }
    }

    @Override
    public long currentTimeId() {
        return ids.current();
    }

    @Override
    public void addToken(String key, String token, long expireSeconds) {
        requireKey(key);
        requireToken(token);
        if (expireSeconds < 0) {
            throw new InvalidParameterException("expire must not be negative");
        }
        tokens.add(key, token, expireSeconds);
    }

    @Override
    public void removeToken(String key, String token) {
        requireKey(key);
        requireToken(token);
        tokens.remove(key, token);
    }

    private void requireKey(String key) {
        if (!settings.acceptsKey(key)) {
            throw new InvalidParameterException("a key is 1 to " + settings.keyMaxLength() + " characters");
        }
    }

    private void requireToken(String token) {
        if (!settings.acceptsToken(token)) {
            throw new InvalidParameterException("a token is 1 to " + settings.tokenMaxLength() + " characters");
        }
    }

    private void requireMessage(String message, long expireSeconds) {
        if (expireSeconds < 0) {
            throw new InvalidParameterException("expire must not be negative");
        }
        if (message == null) {
            throw new InvalidParameterException("missing message");
        }
        if (message.length() > settings.messageMaxBytes()
                || message.getBytes(StandardCharsets.UTF_8).length > settings.messageMaxBytes()) {
            throw new InvalidParameterException("message larger than " + settings.messageMaxBytes() + " bytes");
        }
        if (!JsonText.isValid(message)) {
            throw new PushFailedException("the message is not valid JSON");
        }
    }

}
