package io.pushcluster.engine.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.auth.Tokens.Verdict;
import io.pushcluster.engine.config.PushSettings;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokensTest {

    private static final long T0 = 1_700_000_000_000L;

    private final AtomicLong clock = new AtomicLong(T0);
    private final Tokens tokens = new Tokens(3, clock::get);

    private void advanceSeconds(long seconds) {
        clock.addAndGet(seconds * 1000);
    }

    @Test
    void aKeyWithoutTokensHasNoTokens() {
        assertEquals(Verdict.NO_TOKENS, tokens.check("k", "anything"));
        assertEquals(Verdict.NO_TOKENS, tokens.check("k", ""));
    }

    @Test
    void aRegisteredTokenIsValidAndOthersAreNot() {
        tokens.add("k", "t1", 60);
        assertEquals(Verdict.VALID, tokens.check("k", "t1"));
        assertEquals(Verdict.INVALID, tokens.check("k", "t2"));
        assertEquals(Verdict.INVALID, tokens.check("k", ""));
        assertEquals(Verdict.INVALID, tokens.check("k", "T1"));
        assertEquals(Verdict.NO_TOKENS, tokens.check("other", "t1"), "tokens belong to their key");
    }

    @Test
    void severalTokensPerKeyAreEachValid() {
        tokens.add("k", "phone", 0);
        tokens.add("k", "laptop", 0);
        assertEquals(Verdict.VALID, tokens.check("k", "phone"));
        assertEquals(Verdict.VALID, tokens.check("k", "laptop"));
    }

    @Test
    void aTokenExpiresAfterItsSeconds() {
        tokens.add("k", "t", 10);
        clock.addAndGet(9_999);
        assertEquals(Verdict.VALID, tokens.check("k", "t"));
        clock.addAndGet(1);
        assertEquals(Verdict.NO_TOKENS, tokens.check("k", "t"), "expired at exactly its expiry");
    }

    @Test
    void anExpiredTokenIsInvalidWhileAnotherLives() {
        tokens.add("k", "short", 10);
        tokens.add("k", "long", 100);
        advanceSeconds(50);
        assertEquals(Verdict.INVALID, tokens.check("k", "short"));
        assertEquals(Verdict.VALID, tokens.check("k", "long"));
    }

    @Test
    void expireZeroNeverExpires() {
        tokens.add("k", "forever", 0);
        advanceSeconds(200L * 365 * 24 * 3600);
        assertEquals(Verdict.VALID, tokens.check("k", "forever"));
    }

    @Test
    void addingAgainRenewsTheExpiry() {
        tokens.add("k", "t", 10);
        advanceSeconds(8);
        tokens.add("k", "t", 10);
        advanceSeconds(8);
        assertEquals(Verdict.VALID, tokens.check("k", "t"));
        advanceSeconds(2);
        assertEquals(Verdict.NO_TOKENS, tokens.check("k", "t"));
    }

    @Test
    void addingAgainWithZeroMakesItPermanent() {
        tokens.add("k", "t", 10);
        tokens.add("k", "t", 0);
        advanceSeconds(1_000_000);
        assertEquals(Verdict.VALID, tokens.check("k", "t"));
    }

    @Test
    void aKeyHoldsAtMostTheLimit() {
        tokens.add("k", "a", 0);
        tokens.add("k", "b", 0);
        tokens.add("k", "c", 0);
        assertThrows(InvalidParameterException.class, () -> tokens.add("k", "d", 0));
        assertEquals(Verdict.INVALID, tokens.check("k", "d"), "the refused token is not registered");
        assertEquals(Verdict.VALID, tokens.check("k", "a"));
        assertEquals(Verdict.VALID, tokens.check("k", "c"));
    }

    @Test
    void renewingATokenAtTheLimitIsAllowed() {
        tokens.add("k", "a", 10);
        tokens.add("k", "b", 0);
        tokens.add("k", "c", 0);
        assertDoesNotThrow(() -> tokens.add("k", "a", 100));
        advanceSeconds(50);
        assertEquals(Verdict.VALID, tokens.check("k", "a"));
    }

    @Test
    void theLimitIsPerKey() {
        tokens.add("k", "a", 0);
        tokens.add("k", "b", 0);
        tokens.add("k", "c", 0);
        assertDoesNotThrow(() -> tokens.add("other", "a", 0));
        assertEquals(Verdict.VALID, tokens.check("other", "a"));
    }

    @Test
    void expiredTokensDoNotCountTowardsTheLimit() {
        tokens.add("k", "a", 10);
        tokens.add("k", "b", 10);
        tokens.add("k", "c", 0);
        advanceSeconds(11);
        assertDoesNotThrow(() -> tokens.add("k", "d", 0));
        assertDoesNotThrow(() -> tokens.add("k", "e", 0));
        assertThrows(InvalidParameterException.class, () -> tokens.add("k", "f", 0));
    }

    @Test
    void removedTokensDoNotCountTowardsTheLimit() {
        tokens.add("k", "a", 0);
        tokens.add("k", "b", 0);
        tokens.add("k", "c", 0);
        tokens.remove("k", "b");
        assertDoesNotThrow(() -> tokens.add("k", "d", 0));
    }

    @Test
    void limitComesFromTheSettings() {
        Tokens fromSettings = new Tokens(new PushSettings(
                name -> Optional.ofNullable(Map.of(PushSettings.TOKENS_PER_KEY, "1").get(name))));
        fromSettings.add("k", "a", 0);
        assertThrows(InvalidParameterException.class, () -> fromSettings.add("k", "b", 0));
        assertEquals(Verdict.VALID, fromSettings.check("k", "a"));
    }

    @Test
    void removeForgetsTheToken() {
        tokens.add("k", "a", 0);
        tokens.add("k", "b", 0);
        tokens.remove("k", "a");
        assertEquals(Verdict.INVALID, tokens.check("k", "a"));
        assertEquals(Verdict.VALID, tokens.check("k", "b"));
        tokens.remove("k", "b");
        assertEquals(Verdict.NO_TOKENS, tokens.check("k", "b"));
    }

    @Test
    void removingUnknownTokensOrKeysDoesNothing() {
        tokens.add("k", "a", 0);
        tokens.remove("k", "zzz");
        tokens.remove("nobody", "a");
        assertEquals(Verdict.VALID, tokens.check("k", "a"));
    }

    @Test
    void purgeExpiredDropsExpiredTokensAndKeepsLiveOnes() {
        tokens.add("k", "short", 10);
        tokens.add("k", "long", 100);
        tokens.add("gone", "t", 10);
        tokens.add("stays", "t", 0);
        advanceSeconds(20);
        tokens.purgeExpired();
        // set the clock back: a token still held would look valid again, a purged one cannot
        clock.set(T0);
        assertEquals(Verdict.INVALID, tokens.check("k", "short"));
        assertEquals(Verdict.VALID, tokens.check("k", "long"));
        assertEquals(Verdict.NO_TOKENS, tokens.check("gone", "t"));
        assertEquals(Verdict.VALID, tokens.check("stays", "t"));
    }

    @Test
    void purgeExpiredBeforeExpiryKeepsEverything() {
        tokens.add("k", "t", 10);
        advanceSeconds(9);
        tokens.purgeExpired();
        assertEquals(Verdict.VALID, tokens.check("k", "t"));
    }

    @Test
    void aVeryLongExpiryIsAcceptedAndValid() {
        // expire arrives as an unsigned decimal of up to 18 digits (Params.unsigned); a long expiry means
        // "practically never", it must neither fail nor wrap around into the past
        assertDoesNotThrow(() -> tokens.add("k", "huge", 999_999_999_999_999_999L));
        assertEquals(Verdict.VALID, tokens.check("k", "huge"));
    }

    @Test
    void anExpiryNearTheLargestMillisecondValueDoesNotWrapIntoThePast() {
        tokens.add("k", "t", Long.MAX_VALUE / 1000);
        assertEquals(Verdict.VALID, tokens.check("k", "t"));
        advanceSeconds(365L * 24 * 3600);
        assertEquals(Verdict.VALID, tokens.check("k", "t"));
    }
}
