package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.subscribe.Admission;

/** The subscribe replies of PROTOCOL.md A.4 and A.5. */
public final class Replies {

    /** Subscribed, and the answer to every heartbeat. */
    public static final String HEARTBEAT = "+h\r\n";
    /** What a client sends as its heartbeat: the byte on TCP, the text message of this one byte on WebSocket. */
    public static final byte CLIENT_HEARTBEAT = 'h';
    public static final String BAD_PARAMETER = "-p\r\n";
    public static final String NOT_OWNER = "-n\r\n";
    public static final String NO_TOKENS = "-c\r\n";
    public static final String BAD_TOKEN = "-a\r\n";

    private Replies() {
    }

    /** The error reply for a refused admission; null for outcomes that get no reply. */
    public static String refusal(Admission admission) {
        return switch (admission) {
            case BAD_PARAMETER -> BAD_PARAMETER;
            case NOT_OWNER -> NOT_OWNER;
            case NO_TOKENS -> NO_TOKENS;
            case BAD_TOKEN -> BAD_TOKEN;
            case ACCEPTED, KEY_FULL -> null;
        };
    }
}
