package io.pushcluster.engine.stats;

/** Why the server closed a subscriber connection: the label {@code reason} of {@code push_disconnects_total}. */
public enum Disconnect {
    /** Its send queue was full: it did not read fast enough. */
    SLOW("slow"),
    /** It stayed silent past its heartbeat limit. */
    HEARTBEAT_TIMEOUT("heartbeat_timeout"),
    /** Its key moved to another member. */
    MIGRATED("migrated"),
    /** Kicked: by an admin, or to make room on its key ({@code kick-oldest}). */
    KICKED("kicked"),
    /** An admin banned its key. */
    BANNED("banned"),
    /** It sent more than {@code push.limit.client-frames-per-second}. */
    TOO_MANY_FRAMES("too_many_frames");

    private final String label;

    Disconnect(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
