package io.pushcluster.web.socket;

import io.pushcluster.engine.connection.Ending;
import io.pushcluster.engine.subscribe.Framing;
import io.pushcluster.engine.subscribe.Replies;
import java.nio.charset.StandardCharsets;

/**
 * The frames the server sends (RFC 6455 section 5.2), unmasked and never fragmented: each reply and
 * push is one text frame, and a refused or closed subscriber gets a close frame last.
 */
public final class WebSocketFraming implements Framing {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    public static final int NORMAL_CLOSURE = 1000;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Application close codes (RFC 6455 7.4.2: 4000-4999 are for applications), documented in the README. */
    public static final int KICKED = 4409;
    public static final int BANNED = 4403;

    private static final byte[] HEARTBEAT = text(Replies.HEARTBEAT);
    private static final byte[] CLOSE_NORMALLY = close(NORMAL_CLOSURE);
    private static final byte[] ENDING_KICKED = concat(text(Replies.KICKED), close(KICKED, "kicked"));
    private static final byte[] ENDING_BANNED = concat(text(Replies.BANNED), close(BANNED, "banned"));
    private static final byte[] ENDING_TOO_MANY_FRAMES = close(POLICY_VIOLATION, "too many frames");

    public static byte[] text(String text) {
        return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] close(int code) {
        return frame(CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** A close frame with a reason, in UTF-8, of at most 123 bytes. */
    public static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return frame(CLOSE, payload);
    }

    public static byte[] pong(byte[] payload) {
        return frame(PONG, payload);
    }

    private static byte[] frame(int opcode, byte[] payload) {
        int length = payload.length;
        int head = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[head + length];
        frame[0] = (byte) (0x80 | opcode);
        if (length < 126) {
            frame[1] = (byte) length;
        } else if (length <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, head, length);
        return frame;
    }

    @Override
    public byte[] message(String json) {
        return text(json);
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT;
    }

    @Override
    public byte[] refusal(String reply) {
        if (reply == null) {
            return CLOSE_NORMALLY;
        }
        return concat(text(reply), CLOSE_NORMALLY);
    }

    @Override
    public byte[] farewell() {
        return CLOSE_NORMALLY;
    }

    /** The reply line as a text frame (none for too many frames), then a close frame with the code and reason. */
    @Override
    public byte[] ending(Ending why) {
        return switch (why) {
            case KICKED -> ENDING_KICKED;
            case BANNED -> ENDING_BANNED;
            case TOO_MANY_FRAMES -> ENDING_TOO_MANY_FRAMES;
        };
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
