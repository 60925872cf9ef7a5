package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.config.PushSettings;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The parameters of a subscribe, as every transport receives them: key, heartbeat seconds, token and
 * version, each possibly absent.
 *
 * @param version present (and not empty) when the client asked for the versioned message form
 */
public record SubscribeRequest(String key, int heartbeatSeconds, String token, Optional<String> version) {

    /**
     * The parsed request, or empty when a parameter is missing or invalid (reply {@code -p}). The
     * heartbeat is ASCII digits only, on every transport: no sign, no other script's digits.
     */
    public static Optional<SubscribeRequest> parse(String key, String heartbeat, String token, String version,
            PushSettings settings) {
        if (!settings.acceptsKey(key)) {
            return Optional.empty();
        }
        if (heartbeat == null || heartbeat.isEmpty() || heartbeat.length() > 9
                || !heartbeat.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int seconds = Integer.parseInt(heartbeat);
        if (seconds < settings.heartbeatMin()) {
            return Optional.empty();
        }
        if (token != null && !token.isEmpty() && !settings.acceptsToken(token)) {
            return Optional.empty();
        }
        return Optional.of(new SubscribeRequest(key, seconds, token == null ? "" : token,
                Optional.ofNullable(version).filter(v -> !v.isEmpty())));
    }

    /** Silence after which the connection is closed: the heartbeat plus the configured grace. */
    public long silenceLimitNanos(PushSettings settings) {
        return TimeUnit.SECONDS.toNanos((long) heartbeatSeconds + settings.heartbeatGrace());
    }

    public boolean versioned() {
        return version.isPresent();
    }
}
