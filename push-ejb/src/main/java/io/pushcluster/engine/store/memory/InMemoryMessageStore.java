package io.pushcluster.engine.store.memory;

import java.util.function.ToIntFunction;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.Backend;
import io.pushcluster.engine.store.MessageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages in a sorted map per key; lost when the JVM stops. A message saved for several keys is one
 * object every key's map refers to, gone when no map does.
 */
@ApplicationScoped
@Backend("memory")
public class InMemoryMessageStore implements MessageStore {

    private final Map<String, NavigableMap<Long, StoredMessage>> byKey = new ConcurrentHashMap<>();
    private ToIntFunction<String> capOf;

    protected InMemoryMessageStore() {
    }

    @Inject
    public InMemoryMessageStore(PushSettings settings) {
        this.capOf = settings::storeCapOf;
    }

    /** A store that keeps {@code cap} messages of every key, the public stream's too. */
    public InMemoryMessageStore(int cap) {
        this.capOf = key -> cap;
    }

    @Override
    public void save(String key, StoredMessage message) {
        byKey.compute(key, (k, messages) -> {
            NavigableMap<Long, StoredMessage> kept = messages == null ? new TreeMap<>() : messages;
            kept.put(message.mid(), message);
            while (kept.size() > capOf.applyAsInt(key)) {
                kept.pollFirstEntry();
            }
            return kept;
        });
    }

    @Override
    public void saveForKeys(Collection<String> keys, StoredMessage message) {
        keys.forEach(key -> save(key, message));
    }

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
        List<StoredMessage> found = new ArrayList<>();
        byKey.computeIfPresent(key, (k, messages) -> {
            messages.tailMap(afterMid, false).values().stream()
                    .filter(m -> m.expiresAtMillis() > nowMillis)
                    .forEach(found::add);
            return messages;
        });
        return found;
    }

    @Override
    public void delete(String key) {
        byKey.remove(key);
    }

    @Override
    public int purgeExpired(long nowMillis) {
        int[] purged = {0};
        for (String key : byKey.keySet()) {
            byKey.computeIfPresent(key, (k, messages) -> {
                int before = messages.size();
                messages.values().removeIf(m -> m.expiresAtMillis() <= nowMillis);
                purged[0] += before - messages.size();
                return messages.isEmpty() ? null : messages;
            });
        }
        return purged[0];
    }

    @Override
    public long maxMid() {
        long[] max = {0};
        for (String key : byKey.keySet()) {
            byKey.computeIfPresent(key, (k, messages) -> {
                max[0] = Math.max(max[0], messages.lastKey());
                return messages;
            });
        }
        return max[0];
    }

    /** How many distinct message objects with this text the store holds (for tests). */
    long copiesOf(String text) {
        java.util.Set<StoredMessage> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (String key : byKey.keySet()) {
            byKey.computeIfPresent(key, (k, messages) -> {
                messages.values().stream().filter(m -> m.message().equals(text)).forEach(distinct::add);
                return messages;
            });
        }
        return distinct.size();
    }

    @Override
    public void check() {
        // always reachable
    }

    @Override
    public Optional<String> instanceLocal() {
        return Optional.of("push.store=memory keeps messages in each instance's memory");
    }
}
