package io.pushcluster.engine.cluster;

import io.pushcluster.engine.message.PushedMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A push on its way from the member that accepted it to the member that owns its keys: the keys and
 * the message with its mid and gid, as bytes any member can read without the sender's classes.
 */
public record ForwardedPush(List<String> keys, PushedMessage message) {

    private static final int VERSION = 1;

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + message.json().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(message.mid());
            out.writeInt(message.gid());
            out.writeInt(keys.size());
            for (String key : keys) {
                writeText(out, key);
            }
            writeText(out, message.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a forwarded push of this version */
    public static ForwardedPush fromBytes(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("forwarded push of version " + version);
            }
            long mid = in.readLong();
            int gid = in.readInt();
            int count = in.readInt();
            if (count < 0 || count > payload.length) {
                throw new IllegalArgumentException("forwarded push with " + count + " keys");
            }
            List<String> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keys.add(readText(in, payload.length));
            }
            String json = readText(in, payload.length);
            if (in.available() > 0) {
                throw new IllegalArgumentException("forwarded push with trailing bytes");
            }
            return new ForwardedPush(keys, new PushedMessage(mid, gid, json));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated forwarded push", e);
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in, int limit) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > limit) {
            throw new IllegalArgumentException("forwarded push with a text of " + length + " bytes");
        }
        byte[] utf8 = in.readNBytes(length);
        if (utf8.length < length) {
            throw new IllegalArgumentException("truncated forwarded push");
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
