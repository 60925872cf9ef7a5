package io.pushcluster.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExpiryTest {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void addsSecondsAsMilliseconds() {
        assertEquals(NOW + 1_000, Expiry.at(NOW, 1));
        assertEquals(NOW + 3_600_000, Expiry.at(NOW, 3600));
        assertEquals(NOW, Expiry.at(NOW, 0));
    }

    @Test
    void saturatesInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, Expiry.at(NOW, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Expiry.at(NOW, Long.MAX_VALUE / 1000));
        assertEquals(Long.MAX_VALUE, Expiry.at(NOW, 999_999_999_999_999_999L));
    }

    @Test
    void theLargestSecondsThatFitAreNotSaturated() {
        long fits = (Long.MAX_VALUE - NOW) / 1000;
        assertEquals(NOW + fits * 1000, Expiry.at(NOW, fits));
        assertEquals(Long.MAX_VALUE, Expiry.at(NOW, fits + 1));
    }
}
