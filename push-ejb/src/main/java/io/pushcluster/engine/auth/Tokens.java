package io.pushcluster.engine.auth;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.Expiry;
import io.pushcluster.engine.config.PushSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The tokens registered per key with their expiry. Held in this node's memory; a key accepts at
 * most {@code push.limit.tokens-per-key} live tokens.
 */
@ApplicationScoped
public class Tokens {

    /** What a key's tokens say about a presented token. */
    public enum Verdict { VALID, NO_TOKENS, INVALID }

    private static final long NEVER = Long.MAX_VALUE;

    private final Map<String, Map<String, Long>> byKey = new ConcurrentHashMap<>();
    private int perKeyLimit;
    private LongSupplier clockMillis;

    protected Tokens() {
    }

    @Inject
    public Tokens(PushSettings settings) {
        this(settings.tokensPerKey(), System::currentTimeMillis);
    }

    public Tokens(int perKeyLimit, LongSupplier clockMillis) {
        this.perKeyLimit = perKeyLimit;
        this.clockMillis = clockMillis;
    }

    /** Registers (or renews) a token; {@code expireSeconds == 0} means it does not expire. */
    public void add(String key, String token, long expireSeconds) {
        long now = clockMillis.getAsLong();
        long expiresAt = expireSeconds == 0 ? NEVER : Expiry.at(now, expireSeconds);
        boolean[] full = {false};
        byKey.compute(key, (k, tokens) -> {
            Map<String, Long> live = tokens == null ? new HashMap<>() : tokens;
            live.values().removeIf(expiry -> expiry <= now);
            if (!live.containsKey(token) && live.size() >= perKeyLimit) {
                full[0] = true;
            } else {
                live.put(token, expiresAt);
            }
            return live.isEmpty() ? null : live;
        });
        if (full[0]) {
            throw new InvalidParameterException("key already has " + perKeyLimit + " tokens");
        }
    }

    public void remove(String key, String token) {
        byKey.computeIfPresent(key, (k, tokens) -> {
            tokens.remove(token);
            return tokens.isEmpty() ? null : tokens;
        });
    }

    public Verdict check(String key, String token) {
        long now = clockMillis.getAsLong();
        Verdict[] verdict = {Verdict.NO_TOKENS};
        byKey.computeIfPresent(key, (k, tokens) -> {
            tokens.values().removeIf(expiry -> expiry <= now);
            if (!tokens.isEmpty()) {
                verdict[0] = tokens.containsKey(token) ? Verdict.VALID : Verdict.INVALID;
            }
            return tokens.isEmpty() ? null : tokens;
        });
        return verdict[0];
    }

    /** Forgets expired tokens of every key. */
    public void purgeExpired() {
        long now = clockMillis.getAsLong();
        for (String key : byKey.keySet()) {
            byKey.computeIfPresent(key, (k, tokens) -> {
                tokens.values().removeIf(expiry -> expiry <= now);
                return tokens.isEmpty() ? null : tokens;
            });
        }
    }
}
