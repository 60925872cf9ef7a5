package io.pushcluster.engine.push;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.Expiry;
import io.pushcluster.engine.FailureLog;
import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.cluster.DeliveryRouter;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.message.JsonText;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.PartialSaveException;
import io.pushcluster.engine.store.TransientFailures;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Pushes: checks limits, gives the message its id, stores it when it has an expiry, and only then
 * delivers it to the connections of its keys, on this member or on the members that own them. The
 * store's calls run in transactions of their own, so a save has committed before anything is
 * delivered. Per key, messages reach delivery in the order of their mids however many callers push
 * at once and however long each save takes ({@link OrderedDelivery}); a push answers once its own
 * save's outcome is known, and its message follows those before it. A plain bean without interceptors: the HTTP endpoints call it directly, and
 * {@link PushServiceBean} offers the same to other applications as an EJB. Its methods are those of
 * {@link io.pushcluster.api.PushService}, which it does not implement so that the EJB stays the only bean of that type.
 */
@ApplicationScoped
public class Pushes {

    private static final Logger LOG = Logger.getLogger(Pushes.class.getName());

    @Inject
    PushSettings settings;

    @Inject
    MessageIdSource ids;

    @Inject
    MessageStore store;

    @Inject
    DeliveryRouter router;

    @Inject
    Tokens tokens;

    @Inject
    PushStats stats;

    private final FailureLog failures = new FailureLog(LOG);
    private OrderedDelivery order;

    @PostConstruct
    void start() {
        order = new OrderedDelivery(ids::next, this::deliver);
    }

    private void deliver(Collection<String> keys, PushedMessage message) {
        try {
            stats.delivered(router.deliver(keys, message));
        } catch (RuntimeException e) {
            failures.log("delivering a message to " + keys.size() + " keys", e);
        }
    }

    public long push(String key, String message, long expireSeconds) {
        requireKey(key);
        requireMessage(message, expireSeconds);
        OrderedDelivery.Entry entry = order.enter(new TreeSet<>(Set.of(key)), PushedMessage.PRIVATE, message);
        Collection<String> failed = Set.of(key);
        try {
            if (expireSeconds > 0) {
                StoredMessage stored = new StoredMessage(entry.mid(), PushedMessage.PRIVATE, message,
                        expiresAt(expireSeconds));
                try {
                    TransientFailures.retry(() -> store.save(key, stored));
                } catch (RuntimeException e) {
                    stats.failed(1);
                    failures.log("storing a message for key " + key, e);
                    throw new PushFailedException("storing the message failed", e);
                }
                stats.stored(1);
            }
            failed = Set.of();
        } finally {
            order.settle(entry, failed);
        }
        stats.pushed(1);
        return entry.mid();
    }

    public List<String> pushToMany(Collection<String> keys, String message, long expireSeconds) {
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
        OrderedDelivery.Entry entry = order.enter(new TreeSet<>(distinct), PushedMessage.PRIVATE, message);
        Collection<String> failed = distinct;
        try {
            if (expireSeconds > 0) {
                failed = saveForKeys(distinct, new StoredMessage(entry.mid(), PushedMessage.PRIVATE, message,
                        expiresAt(expireSeconds)));
                stats.failed(failed.size());
                stats.stored(distinct.size() - failed.size());
            } else {
                failed = Set.of();
            }
        } finally {
            order.settle(entry, failed);
        }
        stats.pushed(distinct.size() - failed.size());
        return distinct.stream().filter(failed::contains).toList();
    }

    /** The keys whose save failed: some of them when the store is spread over servers, else all or none. */
    private Collection<String> saveForKeys(Set<String> keys, StoredMessage stored) {
        try {
            TransientFailures.retry(() -> store.saveForKeys(keys, stored));
            return Set.of();
        } catch (PartialSaveException e) {
            failures.log("storing a message for " + e.failedKeys().size() + " of " + keys.size() + " keys", e);
            return Set.copyOf(e.failedKeys());
        } catch (RuntimeException e) {
            failures.log("storing a message for " + keys.size() + " keys", e);
            return keys;
        }
    }

    public List<StoredMessage> messagesAfter(String key, long afterMid) {
        requireKey(key);
        try {
            return store.messagesAfter(key, afterMid, System.currentTimeMillis());
        } catch (RuntimeException e) {
            failures.log("reading the messages of key " + key, e);
            throw new PushFailedException("reading stored messages failed", e);
        }
    }

    public void deleteMessages(String key) {
        requireKey(key);
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            failures.log("deleting the messages of key " + key, e);
            throw new PushFailedException("deleting stored messages failed", e);
        }
    }

    public long currentTimeId() {
        return ids.current();
    }

    public void addToken(String key, String token, long expireSeconds) {
        requireKey(key);
        requireToken(token);
        if (expireSeconds < 0) {
            throw new InvalidParameterException("expire must not be negative");
        }
        tokens.add(key, token, expireSeconds);
    }

    public void removeToken(String key, String token) {
        requireKey(key);
        requireToken(token);
        tokens.remove(key, token);
    }

    private void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidParameterException("missing key");
        }
        if (key.length() > settings.keyMaxLength()) {
            throw new InvalidParameterException("key longer than " + settings.keyMaxLength() + " characters");
        }
    }

    private void requireToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new InvalidParameterException("missing token");
        }
        if (token.length() > settings.tokenMaxLength()) {
            throw new InvalidParameterException("token longer than " + settings.tokenMaxLength() + " characters");
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

    private static long expiresAt(long expireSeconds) {
        return Expiry.at(System.currentTimeMillis(), expireSeconds);
    }
}
