package io.pushcluster.engine.subscribe;

/** The outcome of the subscribe checks, in the order gopush-cluster makes them. */
public enum Admission {
    /** Subscribed: reply {@code +h}. */
    ACCEPTED,
    /** A parameter is missing or invalid: {@code -p}. */
    BAD_PARAMETER,
    /** An admin banned the key, and the ban has not ended: {@code -b}. */
    BANNED,
    /** Another node owns the key: {@code -n}. */
    NOT_OWNER,
    /** Authentication is on and the key has no tokens: {@code -c}. */
    NO_TOKENS,
    /** The token is not one of the key's: {@code -a}. */
    BAD_TOKEN,
    /** The key holds its maximum of connections: closed without a reply. */
    KEY_FULL
}
