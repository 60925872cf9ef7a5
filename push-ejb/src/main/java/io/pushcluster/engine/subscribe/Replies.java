package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.connection.Ending;

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
    /** The key is banned: a subscribe is refused, a subscribed connection ended. */
    public static final String BANNED = "-b\r\n";
    /** The connection was kicked: by a newer one of its key, or by an admin. */
    public static final String KICKED = "-k\r\n";

    private Replies() {
    }

    /** The error reply for a refused admission; null for outcomes that get no reply. */
    public static String refusal(Admission admission) {
        return switch (admission) {
            case BAD_PARAMETER -> BAD_PARAMETER;
            case NOT_OWNER -> NOT_OWNER;
            case NO_TOKENS -> NO_TOKENS;
            case BAD_TOKEN -> BAD_TOKEN;
            case BANNED -> BANNED;
            case ACCEPTED, KEY_FULL -> null;
        };
    }

    /** The reply line a subscriber ended on purpose gets before the close; null when it gets none. */
    public static String ending(Ending why) {
        return switch (why) {
            case KICKED -> KICKED;
            case BANNED -> BANNED;
            case TOO_MANY_FRAMES -> null;
        };
    }
}
