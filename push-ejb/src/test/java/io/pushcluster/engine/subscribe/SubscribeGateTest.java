package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.cluster.AccessControls;
import io.pushcluster.engine.cluster.Blocklist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.config.PushSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The order and outcome of the subscribe checks (PROTOCOL.md A.4): ownership, then tokens. */
class SubscribeGateTest {

    private static final String KEY = "Terry-Mao";

    /** A member that owns no key, and remembers which keys it was asked about. */
    private static final class ForeignMembership extends Membership {
        final List<String> asked = new ArrayList<>();

        @Override
        public boolean ownsLocally(String key) {
            asked.add(key);
            return false;
        }
    }

    /** Tokens that remember every check made against them. */
    private static final class RecordingTokens extends Tokens {
        final List<String> checked = new ArrayList<>();

        RecordingTokens(AtomicLong clock) {
            super(16, clock::get);
        }

        @Override
        public Verdict check(String key, String token) {
            checked.add(key + "/" + token);
            return super.check(key, token);
        }
    }

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final RecordingTokens tokens = new RecordingTokens(clock);
    private final Blocklist bans = new Blocklist("bans", SharedMap.inMemory(), 100, clock::get);

    private static PushSettings settings(boolean auth) {
        Map<String, String> values = Map.of(PushSettings.AUTH, Boolean.toString(auth),
                PushSettings.NODE_NAME, "comet-1");
        return new PushSettings(name -> Optional.ofNullable(values.get(name)));
    }

    private SubscribeGate gate(boolean auth, Membership membership) {
        return new SubscribeGate(settings(auth), membership, tokens, new AccessControls(membership, null, null, bans,
                new Blocklist("denied addresses", SharedMap.inMemory(), 100, clock::get)));
    }

    /** The real membership: a ring of this node alone, which owns every key. */
    private SubscribeGate owningGate(boolean auth) {
        PushSettings settings = settings(auth);
        return gate(auth, new Membership(settings));
    }

    private static SubscribeRequest request(String key, String token) {
        return new SubscribeRequest(key, 30, token, Optional.empty());
    }

    @Test
    void notOwnerComesBeforeAnyTokenCheck() {
        tokens.add(KEY, "good", 0);
        ForeignMembership membership = new ForeignMembership();
        SubscribeGate gate = gate(true, membership);

        assertEquals(Admission.NOT_OWNER, gate.check(request(KEY, "good")));
        assertEquals(Admission.NOT_OWNER, gate.check(request(KEY, "bad")));
        assertEquals(Admission.NOT_OWNER, gate.check(request("no-tokens-key", "")));
        assertTrue(tokens.checked.isEmpty(), () -> "tokens were consulted: " + tokens.checked);
        assertEquals(List.of(KEY, KEY, "no-tokens-key"), membership.asked, "ownership is asked for the request's key");
    }

    @Test
    void notOwnerWithAuthOff() {
        assertEquals(Admission.NOT_OWNER, gate(false, new ForeignMembership()).check(request(KEY, "")));
    }

    @Test
    void theOnlyNodeOwnsEveryKey() {
        Membership membership = new Membership(settings(false));
        for (String key : List.of(KEY, "a", "user:42", "ключ")) {
            assertTrue(membership.ownsLocally(key), key);
        }
    }

    @Test
    void withAuthOffEveryOwnedKeyIsAcceptedWithoutLookingAtTokens() {
        tokens.add(KEY, "good", 0);
        SubscribeGate gate = owningGate(false);

        assertEquals(Admission.ACCEPTED, gate.check(request(KEY, "wrong")));
        assertEquals(Admission.ACCEPTED, gate.check(request(KEY, "")));
        assertEquals(Admission.ACCEPTED, gate.check(request("no-tokens-key", "")));
        assertTrue(tokens.checked.isEmpty(), () -> "tokens were consulted: " + tokens.checked);
    }

    @Test
    void withAuthOnAKeyWithoutTokensIsNoTokens() {
        assertEquals(Admission.NO_TOKENS, owningGate(true).check(request(KEY, "anything")));
        assertEquals(List.of(KEY + "/anything"), tokens.checked);
    }

    @Test
    void withAuthOnAWrongTokenIsBadToken() {
        tokens.add(KEY, "good", 0);
        SubscribeGate gate = owningGate(true);
        assertEquals(Admission.BAD_TOKEN, gate.check(request(KEY, "bad")));
        assertEquals(Admission.BAD_TOKEN, gate.check(request(KEY, "")));
        assertEquals(Admission.BAD_TOKEN, gate.check(request(KEY, "GOOD")));
    }

    @Test
    void withAuthOnARegisteredTokenIsAccepted() {
        tokens.add(KEY, "good", 0);
        tokens.add(KEY, "other", 60);
        SubscribeGate gate = owningGate(true);
        assertEquals(Admission.ACCEPTED, gate.check(request(KEY, "good")));
        assertEquals(Admission.ACCEPTED, gate.check(request(KEY, "other")));
    }

    @Test
    void withAuthOnTokensOfAnotherKeyDoNotCount() {
        tokens.add("someone-else", "good", 0);
        assertEquals(Admission.NO_TOKENS, owningGate(true).check(request(KEY, "good")));
    }

    @Test
    void withAuthOnAnExpiredTokenNoLongerAdmits() {
        tokens.add(KEY, "short", 10);
        SubscribeGate gate = owningGate(true);
        assertEquals(Admission.ACCEPTED, gate.check(request(KEY, "short")));
        clock.addAndGet(11_000);
        assertEquals(Admission.NO_TOKENS, gate.check(request(KEY, "short")));
    }
}
