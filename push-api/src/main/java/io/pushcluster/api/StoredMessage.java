package io.pushcluster.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * A message as it was stored for a key.
 *
 * @param mid the message id, unique and increasing per key
 * @param gid the group: {@code 0} for a message pushed to keys
 * @param message the pushed JSON text, untouched
 * @param expiresAtMillis when the message expires, in milliseconds since the epoch
 */
public record StoredMessage(long mid, int gid, String message, long expiresAtMillis) implements Serializable {

    public StoredMessage {
        Objects.requireNonNull(message, "message");
    }
}
