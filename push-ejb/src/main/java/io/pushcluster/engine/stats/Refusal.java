package io.pushcluster.engine.stats;

/** Why a subscriber connection was refused: the label {@code reason} of {@code push_connections_refused_total}. */
public enum Refusal implements Labelled {
    /** Its key held {@code push.subscribers.per-key} connections already (and excess is refused). */
    KEY_FULL,
    /** The listener held its cap of connections. */
    LISTENER_FULL,
    /** An admin banned its key. */
    BANNED,
    /** Its client address held {@code push.limit.connections-per-ip} connections already. */
    PER_IP,
    /** {@code push.ip.allow} or {@code push.ip.deny} (also counts requests refused on Payara's port). */
    IP_LIST,
    /** A missing or invalid subscribe parameter ({@code -p}). */
    BAD_PARAMETER,
    /** Another member owns the key ({@code -n}). */
    NOT_OWNER,
    /** Authentication is on and the key has no tokens ({@code -c}). */
    NO_TOKENS,
    /** The token is not one of the key's ({@code -a}). */
    BAD_TOKEN;
}
