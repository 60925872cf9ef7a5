package io.pushcluster.engine.push;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.PushService;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.FailureLog;
import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.config.Limits;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.cluster.AccessControls;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.OwnerRequests;
import io.pushcluster.engine.cluster.Presence;
import io.pushcluster.engine.group.Groups;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.message.PublicStream;
import io.pushcluster.engine.stats.PushKind;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Pushes: checks limits, then has the member that owns each key do the push ({@link OwnerRouting}),
 * this one ({@link OwnedPushes}) or the owner asked over the grid: it gives the message its id, stores it when
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

    @Inject
    Presence presence;

    @Inject
    Groups groups;

    @Inject
    AccessControls access;

    private final FailureLog failures = new FailureLog(LOG);
    private OwnerRouting routing;
    private Limits limits;

    /** Builds the routing over the injected parts (a plain object: no container proxy per push). */
    @PostConstruct
    void start() {
        routing = new OwnerRouting(membership, owned, requests, ids, store, stats);
        limits = new Limits(settings);
    }

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
        return stats.counted(PushKind.PRIVATE, () -> {
            limits.key(key);
            limits.message(message, expireSeconds);
            PushOutcome outcome = routing.push(Set.of(key), message, expireSeconds, limits.idempotencyKey(idempotencyKey));
            if (!outcome.failed().isEmpty()) {
                throw new PushFailedException("storing the message failed");
            }
            return outcome.mid();
        });
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
        return stats.counted(PushKind.MULTI, () -> {
            Set<String> distinct = limits.keys(keys);
            limits.message(message, expireSeconds);
            return pushToKeys(distinct, message, expireSeconds, idempotencyKey);
        });
    }

    private List<String> pushToKeys(Set<String> keys, String message, long expireSeconds, String idempotencyKey) {
        PushOutcome outcome = routing.push(keys, message, expireSeconds, limits.idempotencyKey(idempotencyKey));
        return keys.stream().filter(outcome.failed()::contains).toList();
    }

    @Override
    public long pushPublic(String message, long expireSeconds) {
        return pushPublic(message, expireSeconds, null);
    }

    /** Pushes to the public stream on the member that owns its key ({@link PublicStream}). */
    @Override
    public long pushPublic(String message, long expireSeconds, String idempotencyKey) {
        return stats.counted(PushKind.PUBLIC, () -> {
            limits.message(message, expireSeconds);
            PushOutcome outcome = routing.push(Set.of(PublicStream.KEY), message, expireSeconds,
                    limits.idempotencyKey(idempotencyKey));
            if (!outcome.failed().isEmpty()) {
                throw new PushFailedException("storing the message failed");
            }
            return outcome.mid();
        });
    }

    @Override
    public List<StoredMessage> publicMessagesAfter(long afterPmid) {
        return read(PublicStream.KEY, afterPmid);
    }

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid) {
        return read(limits.key(key), afterMid);
    }

    private List<StoredMessage> read(String key, long afterMid) {
        try {
            return store.messagesAfter(key, afterMid, System.currentTimeMillis());
        } catch (RuntimeException e) {
            failures.log(key.isEmpty() ? "reading the public messages" : "reading the messages of key " + key, e);
            throw new PushFailedException("reading stored messages failed", e);
        }
    }

    @Override
    public void deleteMessages(String key) {
        limits.key(key);
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            failures.log("deleting the messages of key " + key, e);
            throw new PushFailedException("deleting stored messages failed", e);
        }
    }

    @Override
    public Map<String, Integer> presence(Collection<String> keys) {
        return presence.connectionsOf(List.copyOf(limits.keys(keys)));
    }

    @Override
    public int kick(String key) {
        return access.kick(limits.key(key));
    }

    @Override
    public int ban(String key, long seconds) {
        if (seconds <= 0) {
            throw new InvalidParameterException("a ban lasts at least a second");
        }
        return access.ban(limits.key(key), seconds);
    }

    @Override
    public void unban(String key) {
        access.unban(limits.key(key));
    }

    @Override
    public void addToGroup(String group, Collection<String> keys) {
        groups.add(group, keys);
    }

    @Override
    public void removeFromGroup(String group, Collection<String> keys) {
        groups.remove(group, keys);
    }

    @Override
    public List<String> groupKeys(String group, String afterKey, int limit) {
        return groups.keys(group, afterKey, limit);
    }

    @Override
    public List<String> groupsOf(String key) {
        return groups.groupsOf(limits.key(key));
    }

    @Override
    public List<String> pushToGroup(String group, String message, long expireSeconds) {
        return pushToGroup(group, message, expireSeconds, null);
    }

    /** Pushes to the keys the group holds now, each on its owner, as a multi-key push. */
    @Override
    public List<String> pushToGroup(String group, String message, long expireSeconds, String idempotencyKey) {
        return stats.counted(PushKind.GROUP, () -> {
            limits.message(message, expireSeconds);
            Set<String> keys = new LinkedHashSet<>(groups.keysOf(group));
            return keys.isEmpty() ? List.<String>of() : pushToKeys(keys, message, expireSeconds, idempotencyKey);
        });
    }

    @Override
    public List<String> onlineInGroup(String group) {
        Map<String, Integer> counts = presence.connectionsOf(groups.keysOf(group));
        return counts.keySet().stream().filter(key -> counts.get(key) > 0).toList();
    }

    @Override
    public long currentTimeId() {
        return ids.current();
    }

    @Override
    public void addToken(String key, String token, long expireSeconds) {
        tokens.add(limits.key(key), limits.token(token), limits.expire(expireSeconds));
    }

    @Override
    public void removeToken(String key, String token) {
        tokens.remove(limits.key(key), limits.token(token));
    }
}
