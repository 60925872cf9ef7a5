package io.pushcluster.engine;

/** Absolute expiry times from relative seconds, saturating instead of overflowing. */
public final class Expiry {

    private Expiry() {
    }

    /** {@code nowMillis + seconds * 1000}, or {@link Long#MAX_VALUE} when that does not fit. */
    public static long at(long nowMillis, long seconds) {
        if (seconds > (Long.MAX_VALUE - nowMillis) / 1000) {
            return Long.MAX_VALUE;
        }
        return nowMillis + seconds * 1000;
    }
}
