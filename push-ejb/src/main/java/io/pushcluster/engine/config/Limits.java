package io.pushcluster.engine.config;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.engine.message.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The checks of every input the service takes, with the limits of the settings: one place for each
 * rule, whichever operation takes the input. A broken limit is an {@link InvalidParameterException}
 * (65534 over HTTP); a message that is not JSON is a {@link PushFailedException} (65535), as
 * gopush-cluster answered.
 */
public final class Limits {

    private final PushSettings settings;

    public Limits(PushSettings settings) {
        this.settings = settings;
    }

    public String key(String key) {
        if (!settings.acceptsKey(key)) {
            throw new InvalidParameterException("a key is 1 to " + settings.keyMaxLength() + " characters");
        }
        return key;
    }

    /** At least one key, at most {@code push.limit.multi-keys}, each valid; the distinct ones in order. */
    public Set<String> keys(Collection<String> keys) {
        if (keys == null || keys.isEmpty()) {
            throw new InvalidParameterException("no keys");
        }
        if (keys.size() > settings.multiMaxKeys()) {
            throw new InvalidParameterException("more than " + settings.multiMaxKeys() + " keys");
        }
        Set<String> distinct = new LinkedHashSet<>();
        keys.forEach(key -> distinct.add(key(key)));
        return distinct;
    }

    public String token(String token) {
        if (!settings.acceptsToken(token)) {
            throw new InvalidParameterException("a token is 1 to " + settings.tokenMaxLength() + " characters");
        }
        return token;
    }

    public String group(String group) {
        if (group == null || group.isEmpty() || group.length() > settings.groupNameMaxLength()) {
            throw new InvalidParameterException("a group name is 1 to " + settings.groupNameMaxLength() + " characters");
        }
        return group;
    }

    /** An idempotency key: null when there is none, at most {@code push.limit.idempotency-key-length}. */
    public String idempotencyKey(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        if (key.length() > settings.idempotencyKeyMaxLength()) {
            throw new InvalidParameterException("idempotency key longer than " + settings.idempotencyKeyMaxLength()
                    + " characters");
        }
        return key;
    }

    public long expire(long seconds) {
        if (seconds < 0) {
            throw new InvalidParameterException("expire must not be negative");
        }
        return seconds;
    }

    /** A message to push: present, at most {@code push.limit.message-bytes} in UTF-8, valid JSON. */
    public void message(String message, long expireSeconds) {
        expire(expireSeconds);
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
