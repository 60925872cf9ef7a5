package io.pushcluster.web.socket;

import io.pushcluster.engine.subscribe.Replies;
import java.nio.ByteBuffer;

/**
 * Reads a subscriber's frames (RFC 6455 section 5) from bytes arriving in pieces of any size, holding
 * none of them but a control frame's payload (125 bytes at most): a data message, possibly fragmented,
 * is only checked to be the heartbeat, the text {@code h}. A frame the server cannot accept is a
 * {@link FrameException}: one that breaks the framing rules (unmasked, reserved bits or opcodes, a
 * fragmented or long control frame, a continuation out of place) closes with 1002, a data message
 * longer than {@value #MAX_MESSAGE_BYTES} bytes with 1009 as soon as its length is read.
 */
final class FrameDecoder {

    /** What a complete frame means to the server; pongs are read and dropped. */
    enum ClientFrame { HEARTBEAT, OTHER_MESSAGE, PING, CLOSE }

    /** Longest data message read, as on the {@code /sub} endpoint; a heartbeat is one byte. */
    static final int MAX_MESSAGE_BYTES = 128;
    private static final int MAX_CONTROL_BYTES = 125;
    private static final int CONTINUATION = 0x0;

    private enum State { FIRST_BYTE, SECOND_BYTE, EXTENDED_LENGTH, MASK, PAYLOAD }

    private State state = State.FIRST_BYTE;
    private boolean fin;
    private int opcode;
    private int lengthBytesLeft;
    private long length;
    private int maskBytesLeft;
    private int mask;
    private int payloadRead;
    /** The opcode of the data message being received, 0 between messages. */
    private int messageOpcode;
    private int messageLength;
    private boolean messageStartsWithHeartbeat;
    private byte[] controlPayload;
    private int closeCode;

    /**
     * Consumes bytes up to the end of the next frame that means something to the server.
     *
     * @return that frame, or null when the input ran out first
     */
    ClientFrame next(ByteBuffer input) throws FrameException {
        while (input.hasRemaining()) {
            ClientFrame complete = switch (state) {
                case FIRST_BYTE -> firstByte(input.get());
                case SECOND_BYTE -> secondByte(input.get());
                case EXTENDED_LENGTH -> lengthByte(input.get());
                case MASK -> maskByte(input.get());
                case PAYLOAD -> payload(input);
            };
            if (complete != null) {
                return complete;
            }
        }
        return null;
    }

    /** The payload of the last {@link ClientFrame#PING}, for the pong. */
    byte[] pingPayload() {
        return controlPayload;
    }

    /** The status code to answer the last {@link ClientFrame#CLOSE} with: the client's, or 1000 when it sent none. */
    int closeCode() {
        return closeCode;
    }

    private ClientFrame firstByte(byte b) throws FrameException {
        if ((b & 0x70) != 0) {
            throw FrameException.protocolError("reserved bits set, and no extension was agreed");
        }
        fin = (b & 0x80) != 0;
        opcode = b & 0x0F;
        switch (opcode) {
            case CONTINUATION -> {
                if (messageOpcode == 0) {
                    throw FrameException.protocolError("a continuation frame without a message to continue");
                }
            }
            case WebSocketFraming.TEXT, WebSocketFraming.BINARY -> {
                if (messageOpcode != 0) {
                    throw FrameException.protocolError("a new message before the fragmented one ended");
                }
            }
            case WebSocketFraming.CLOSE, WebSocketFraming.PING, WebSocketFraming.PONG -> {
                if (!fin) {
                    throw FrameException.protocolError("a fragmented control frame");
                }
            }
            default -> throw FrameException.protocolError("opcode " + opcode);
        }
        state = State.SECOND_BYTE;
        return null;
    }

    private ClientFrame secondByte(byte b) throws FrameException {
        if ((b & 0x80) == 0) {
            throw FrameException.protocolError("an unmasked client frame");
        }
        int shortLength = b & 0x7F;
        length = 0;
        if (shortLength == 126) {
            lengthBytesLeft = 2;
            state = State.EXTENDED_LENGTH;
        } else if (shortLength == 127) {
            lengthBytesLeft = 8;
            state = State.EXTENDED_LENGTH;
        } else {
            length = shortLength;
            lengthRead();
        }
        return null;
    }

    private ClientFrame lengthByte(byte b) throws FrameException {
        length = (length << 8) | (b & 0xFF);
        if (--lengthBytesLeft == 0) {
            lengthRead();
        }
        return null;
    }

    private void lengthRead() throws FrameException {
        if (length < 0) {
            throw FrameException.protocolError("a 64-bit length with its most significant bit set");
        }
        if (isControl()) {
            if (length > MAX_CONTROL_BYTES) {
                throw FrameException.protocolError("a control frame of " + length + " bytes");
            }
        } else if (length > MAX_MESSAGE_BYTES - messageLength) {
            throw FrameException.tooBig("a message of more than " + MAX_MESSAGE_BYTES + " bytes");
        }
        maskBytesLeft = 4;
        mask = 0;
        state = State.MASK;
    }

    private ClientFrame maskByte(byte b) throws FrameException {
        mask = (mask << 8) | (b & 0xFF);
        if (--maskBytesLeft > 0) {
            return null;
        }
        payloadRead = 0;
        if (isControl()) {
            controlPayload = new byte[(int) length];
        } else if (opcode != CONTINUATION) {
            messageOpcode = opcode;
        }
        if (length == 0) {
            return frameRead();
        }
        state = State.PAYLOAD;
        return null;
    }

    private ClientFrame payload(ByteBuffer input) throws FrameException {
        int count = (int) Math.min(input.remaining(), length - payloadRead);
        for (int i = 0; i < count; i++) {
            byte b = (byte) (input.get() ^ (mask >>> (24 - 8 * (payloadRead & 3))));
            if (isControl()) {
                controlPayload[payloadRead] = b;
            } else {
                if (messageLength == 0) {
                    messageStartsWithHeartbeat = b == Replies.CLIENT_HEARTBEAT;
                }
                messageLength++;
            }
            payloadRead++;
        }
        return payloadRead == length ? frameRead() : null;
    }

    private ClientFrame frameRead() throws FrameException {
        state = State.FIRST_BYTE;
        switch (opcode) {
            case WebSocketFraming.PING:
                return ClientFrame.PING;
            case WebSocketFraming.PONG:
                controlPayload = null;
                return null;
            case WebSocketFraming.CLOSE:
                closeCode = statusOf(controlPayload);
                controlPayload = null;
                return ClientFrame.CLOSE;
            default:
                if (!fin) {
                    return null;
                }
                boolean heartbeat = messageOpcode == WebSocketFraming.TEXT && messageLength == 1
                        && messageStartsWithHeartbeat;
                messageOpcode = 0;
                messageLength = 0;
                return heartbeat ? ClientFrame.HEARTBEAT : ClientFrame.OTHER_MESSAGE;
        }
    }

    /** The status code of a close frame's payload (RFC 6455 section 7.4), 1000 for none. */
    private static int statusOf(byte[] payload) throws FrameException {
        if (payload.length == 0) {
            return WebSocketFraming.NORMAL_CLOSURE;
        }
        if (payload.length == 1) {
            throw FrameException.protocolError("a close frame of one byte");
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        boolean defined = code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
        if (!defined && (code < 3000 || code > 4999)) {
            throw FrameException.protocolError("close status " + code);
        }
        return code;
    }

    private boolean isControl() {
        return (opcode & 0x08) != 0;
    }
}
