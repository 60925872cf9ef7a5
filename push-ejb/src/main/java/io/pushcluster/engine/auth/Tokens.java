package io.pushcluster.engine.auth;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.Expiry;
import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.message.JsonText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The tokens registered per key with their expiry, in a map every member shares (so a subscriber is
 * checked the same way whichever member owns its key, and tokens survive the loss of a member). A
 * key's tokens are one entry, changed by compare-and-set; a key accepts at most
 * {@code push.limit.tokens-per-key} live tokens.
 */
@ApplicationScoped
public class Tokens {

    /** What a key's tokens say about a presented token. */
    public enum Verdict { VALID, NO_TOKENS, INVALID }

    static final String MAP = "push.tokens";
    private static final long NEVER = Long.MAX_VALUE;
    private static final int MAX_ATTEMPTS = 100;

    private SharedMap byKey;
    private int perKeyLimit;
    private LongSupplier clockMillis;

    protected Tokens() {
    }

    @Inject
    public Tokens(PushSettings settings, Grid grid) {
        this(grid.sharedMap(MAP), settings.tokensPerKey(), System::currentTimeMillis);
    }

    /** Tokens of this node alone. */
    public Tokens(PushSettings settings) {
        this(SharedMap.inMemory(), settings.tokensPerKey(), System::currentTimeMillis);
    }

    public Tokens(int perKeyLimit, LongSupplier clockMillis) {
        this(SharedMap.inMemory(), perKeyLimit, clockMillis);
    }

    Tokens(SharedMap byKey, int perKeyLimit, LongSupplier clockMillis) {
        this.byKey = byKey;
        this.perKeyLimit = perKeyLimit;
        this.clockMillis = clockMillis;
    }

    /** Registers (or renews) a token; {@code expireSeconds == 0} means it does not expire. */
    public void add(String key, String token, long expireSeconds) {
        long now = clockMillis.getAsLong();
        long expiresAt = expireSeconds == 0 ? NEVER : Expiry.at(now, expireSeconds);
        boolean[] full = {false};
        update(key, live -> {
            full[0] = false;
            if (!live.containsKey(token) && live.size() >= perKeyLimit) {
                full[0] = true;
            } else {
                live.put(token, expiresAt);
            }
            return live;
        });
        if (full[0]) {
            throw new InvalidParameterException("key already has " + perKeyLimit + " tokens");
        }
    }

    public void remove(String key, String token) {
        update(key, live -> {
            live.remove(token);
            return live;
        });
    }

    public Verdict check(String key, String token) {
        String stored = byKey.get(key);
        Map<String, Long> live = stored == null ? Map.of() : liveTokens(stored, clockMillis.getAsLong());
        if (live.isEmpty()) {
            return Verdict.NO_TOKENS;
        }
        return live.containsKey(token) ? Verdict.VALID : Verdict.INVALID;
    }

    /** Forgets expired tokens of the keys this member holds. */
    public void purgeExpired() {
        for (String key : byKey.localKeys()) {
            update(key, live -> live);
        }
    }

    /** Applies the change to the key's live tokens, again if another writer changed them meanwhile. */
    private void update(String key, UnaryOperator<Map<String, Long>> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String stored = byKey.get(key);
            Map<String, Long> live = stored == null ? new LinkedHashMap<>() : liveTokens(stored, clockMillis.getAsLong());
            Map<String, Long> changed = change.apply(live);
            String next = changed.isEmpty() ? null : toJson(changed);
            if (next != null && next.equals(stored)) {
                return;
            }
            boolean written;
            if (stored == null) {
                written = next == null || byKey.putIfAbsent(key, next) == null;
            } else if (next == null) {
                written = byKey.remove(key, stored);
            } else {
                written = byKey.replace(key, stored, next);
            }
            if (written) {
                return;
            }
        }
        throw new IllegalStateException("the tokens of key " + key + " kept changing under " + MAX_ATTEMPTS + " attempts");
    }

    private static Map<String, Long> liveTokens(String json, long now) {
        Map<String, Long> live = new LinkedHashMap<>();
        try (JsonReader reader = JsonText.reader(json)) {
            JsonObject tokens = reader.readObject();
            for (Map.Entry<String, JsonValue> entry : tokens.entrySet()) {
                if (entry.getValue() instanceof JsonNumber expiry && expiry.longValue() > now) {
                    live.put(entry.getKey(), expiry.longValue());
                }
            }
        } catch (JsonException e) {
            // an unreadable entry holds no live token; the next change replaces it
        }
        return live;
    }

    private static String toJson(Map<String, Long> tokens) {
        JsonObjectBuilder object = JsonText.objectBuilder();
        tokens.forEach(object::add);
        return object.build().toString();
    }
}
