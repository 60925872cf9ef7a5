package io.pushcluster.engine.store;

import java.util.Set;

/**
 * A save for several keys that reached some of the backend's servers and not others: the message
 * is stored for every key except {@link #failedKeys()}.
 */
public class PartialSaveException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;
    private final Set<String> failedKeys;

    public PartialSaveException(Set<String> failedKeys, Throwable cause) {
        super("storing failed for " + failedKeys.size() + " keys", cause);
        this.failedKeys = Set.copyOf(failedKeys);
    }

    public Set<String> failedKeys() {
        return failedKeys;
    }
}
