package io.pushcluster.web.socket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Frames as a client writes them (RFC 6455 section 5.2), masked unless asked otherwise. */
public final class ClientFrames {

    private static final byte[] MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

    private ClientFrames() {
    }

    public static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin, opcode, payload, true);
    }

    public static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        } else {
            out.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >>> (8 * i)) & 0xFF);
            }
        }
        if (masked) {
            out.writeBytes(MASK);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i % 4] : payload[i]);
        }
        return out.toByteArray();
    }

    public static byte[] text(String text) {
        return frame(true, WebSocketFraming.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] heartbeat() {
        return text("h");
    }

    public static byte[] close(int code) {
        return frame(true, WebSocketFraming.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    public static byte[] ping(String payload) {
        return frame(true, WebSocketFraming.PING, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The header of a masked frame that announces a length, without its payload. */
    public static byte[] header(int opcode, long announcedLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        out.write(0x80 | 127);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (announcedLength >>> (8 * i)) & 0xFF);
        }
        out.writeBytes(MASK);
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
