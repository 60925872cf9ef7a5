package io.pushcluster.engine.stats;

/** Why a subscriber connection was refused: the label {@code reason} of {@code push_connections_refused_total}. */
public enum Refusal {
    /** Its key held {@code push.subscribers.per-key} connections already (and excess is refused). */
    KEY_FULL("key_full"),
    /** The listener held its cap of connections. */
    LISTENER_FULL("listener_full"),
    /** An admin banned its key. */
    BANNED("banned"),
    /** Its client address held {@code push.limit.connections-per-ip} connections already. */
    PER_IP("per_ip"),
    /** {@code push.ip.allow} or {@code push.ip.deny} (also counts requests refused on Payara's port). */
    IP_LIST("ip_list"),
    /** A missing or invalid subscribe parameter ({@code -p}). */
    BAD_PARAMETER("bad_parameter"),
    /** Another member owns the key ({@code -n}). */
    NOT_OWNER("not_owner"),
    /** Authentication is on and the key has no tokens ({@code -c}). */
    NO_TOKENS("no_tokens"),
    /** The token is not one of the key's ({@code -a}). */
    BAD_TOKEN("bad_token");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
