package io.pushcluster.engine.subscribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.config.PushSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SubscribeRequestTest {

    private static final PushSettings DEFAULTS = new PushSettings(name -> Optional.empty());

    private static PushSettings with(Map<String, String> values) {
        return new PushSettings(name -> Optional.ofNullable(values.get(name)));
    }

    private static Optional<SubscribeRequest> parse(String key, String heartbeat, String token, String version) {
        return SubscribeRequest.parse(key, heartbeat, token, version, DEFAULTS);
    }

    @Test
    void parsesAPlainSubscribe() {
        SubscribeRequest request = parse("Terry-Mao", "30", null, null).orElseThrow();
        assertEquals("Terry-Mao", request.key());
        assertEquals(30, request.heartbeatSeconds());
        assertEquals("", request.token());
        assertEquals(Optional.empty(), request.version());
        assertFalse(request.versioned());
    }

    @Test
    void keepsTokenAndVersion() {
        SubscribeRequest request = parse("k", "60", "tok", "1").orElseThrow();
        assertEquals("tok", request.token());
        assertEquals(Optional.of("1"), request.version());
        assertTrue(request.versioned());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void keyIsRequired(String key) {
        assertTrue(parse(key, "30", null, null).isEmpty());
    }

    @Test
    void keyLengthIsLimited() {
        assertTrue(parse("k".repeat(128), "30", null, null).isPresent());
        assertTrue(parse("k".repeat(129), "30", null, null).isEmpty());
        PushSettings shortKeys = with(Map.of(PushSettings.KEY_MAX_LENGTH, "4"));
        assertTrue(SubscribeRequest.parse("abcd", "30", null, null, shortKeys).isPresent());
        assertTrue(SubscribeRequest.parse("abcde", "30", null, null, shortKeys).isEmpty());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"abc", "3O", "30s", "30.0", "1e3", " 30", "30 ", "0x1e", "--30", "thirty", "+30",
        "\u0663\u0660", "\uFF13\uFF10"})
    void heartbeatMustBeANumber(String heartbeat) {
        assertTrue(parse("k", heartbeat, null, null).isEmpty(), () -> "accepted heartbeat " + heartbeat);
    }

    @ParameterizedTest
    @ValueSource(strings = {"29", "0", "1", "-30", "-1"})
    void heartbeatBelowTheMinimumIsRefused(String heartbeat) {
        assertTrue(parse("k", heartbeat, null, null).isEmpty(), () -> "accepted heartbeat " + heartbeat);
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999999999", "2147483648", "99999999999999999999", "1000000000000"})
    void hugeHeartbeatIsRefused(String heartbeat) {
        assertTrue(parse("k", heartbeat, null, null).isEmpty(), () -> "accepted heartbeat " + heartbeat);
    }

    @Test
    void heartbeatAtOrAboveTheMinimumIsAccepted() {
        assertEquals(30, parse("k", "30", null, null).orElseThrow().heartbeatSeconds());
        assertEquals(31, parse("k", "31", null, null).orElseThrow().heartbeatSeconds());
        assertEquals(3600, parse("k", "3600", null, null).orElseThrow().heartbeatSeconds());
    }

    @Test
    void configuredMinimumHeartbeatApplies() {
        PushSettings lenient = with(Map.of(PushSettings.HEARTBEAT_MIN, "10"));
        assertEquals(10, SubscribeRequest.parse("k", "10", null, null, lenient).orElseThrow().heartbeatSeconds());
        assertTrue(SubscribeRequest.parse("k", "9", null, null, lenient).isEmpty());
    }

    @Test
    void tokenLengthIsLimited() {
        assertEquals("t".repeat(256), parse("k", "30", "t".repeat(256), null).orElseThrow().token());
        assertTrue(parse("k", "30", "t".repeat(257), null).isEmpty());
        PushSettings shortTokens = with(Map.of(PushSettings.TOKEN_MAX_LENGTH, "3"));
        assertTrue(SubscribeRequest.parse("k", "30", "abc", null, shortTokens).isPresent());
        assertTrue(SubscribeRequest.parse("k", "30", "abcd", null, shortTokens).isEmpty());
    }

    @Test
    void emptyTokenIsAllowed() {
        assertEquals("", parse("k", "30", "", null).orElseThrow().token());
    }

    @Test
    void anyVersionValueMeansTheVersionedForm() {
        assertTrue(parse("k", "30", null, "1.0").orElseThrow().versioned());
        assertTrue(parse("k", "30", null, "x").orElseThrow().versioned());
    }

    @Test
    void noVersionMeansTheLegacyForm() {
        assertFalse(parse("k", "30", null, null).orElseThrow().versioned());
    }

    @Test
    void emptyVersionMeansTheLegacyFormAsInGopushCluster() {
        // gopush-cluster reads ver with URL.Query().Get("ver") and sends the legacy form when it is ""
        // (comet/seq_channel.go: "if version empty then use old protocol"), so ?ver= is the legacy form.
        assertFalse(parse("k", "30", null, "").orElseThrow().versioned());
    }

    @Test
    void silenceLimitIsHeartbeatPlusGraceInNanoseconds() {
        SubscribeRequest request = parse("k", "30", null, null).orElseThrow();
        assertEquals(35_000_000_000L, request.silenceLimitNanos(DEFAULTS));
        PushSettings noGrace = with(Map.of(PushSettings.HEARTBEAT_GRACE, "0"));
        assertEquals(30_000_000_000L, request.silenceLimitNanos(noGrace));
        PushSettings longGrace = with(Map.of(PushSettings.HEARTBEAT_GRACE, "20"));
        assertEquals(50_000_000_000L, request.silenceLimitNanos(longGrace));
    }

    @Test
    void silenceLimitOfTheLargestHeartbeatDoesNotOverflow() {
        SubscribeRequest request = parse("k", "999999999", null, null).orElseThrow();
        assertEquals(1_000_000_004_000_000_000L, request.silenceLimitNanos(DEFAULTS));
        PushSettings maxGrace = with(Map.of(PushSettings.HEARTBEAT_GRACE, Integer.toString(Integer.MAX_VALUE)));
        long limit = request.silenceLimitNanos(maxGrace);
        assertEquals((999_999_999L + Integer.MAX_VALUE) * 1_000_000_000L, limit);
        assertTrue(limit > 0);
    }
}
