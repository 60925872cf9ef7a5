package io.pushcluster.engine.store;

import io.pushcluster.api.StoredMessage;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where messages pushed with an expiry wait for subscribers that were away. Each key keeps at most
 * its newest {@code cap} messages; expired messages are never returned. Any method may throw
 * {@link StoreUnavailableException} when the backend cannot be reached.
 */
public interface MessageStore {

    /** Stores a message for a key, then drops the key's oldest messages beyond the cap. */
    void save(String key, StoredMessage message);

    /**
     * Stores one message for every key (one batch where the backend allows), capping each key. A
     * backend spread over several servers throws {@link PartialSaveException} when only some failed.
     */
    void saveForKeys(Collection<String> keys, StoredMessage message);

    /** Unexpired messages of the key with a mid greater than {@code afterMid}, oldest first. */
    List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis);

    /** Deletes every message of the key. */
    void delete(String key);

    /** Deletes every message expired at {@code nowMillis}; returns how many. */
    int purgeExpired(long nowMillis);

    /** The largest mid stored, 0 when empty. */
    long maxMid();

    /** Throws {@link StoreUnavailableException} unless the backend answers now. */
    void check();

    /**
     * The longest a save may take before it fails, waits for a connection included: a member that
     * asks another to push through this store waits that long, and more.
     */
    default long longestSaveMillis() {
        return 0;
    }

    /**
     * Why other instances cannot see what this one stores (it keeps messages in its own memory or
     * files); empty when the store is shared.
     */
    default Optional<String> instanceLocal() {
        return Optional.empty();
    }
}
