package io.pushcluster.engine.stats;

/** Why the server closed a subscriber connection: the label {@code reason} of {@code push_disconnects_total}. */
public enum Disconnect implements Labelled {
    /** Its send queue was full: it did not read fast enough. */
    SLOW,
    /** It stayed silent past its heartbeat limit. */
    HEARTBEAT_TIMEOUT,
    /** Its key moved to another member. */
    MIGRATED,
    /** Kicked: by an admin, or to make room on its key ({@code kick-oldest}). */
    KICKED,
    /** An admin banned its key. */
    BANNED,
    /** It sent more than {@code push.limit.client-frames-per-second}. */
    TOO_MANY_FRAMES;
}
