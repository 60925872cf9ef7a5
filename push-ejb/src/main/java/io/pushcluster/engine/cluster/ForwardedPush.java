package io.pushcluster.engine.cluster;

import io.pushcluster.engine.message.PushedMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
            WireText.writeAll(out, keys);
            WireText.write(out, message.json());
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
            List<String> keys = WireText.readAll(in, payload.length);
            String json = WireText.read(in, payload.length);
            if (in.available() > 0) {
                throw new IllegalArgumentException("forwarded push with trailing bytes");
            }
            return new ForwardedPush(keys, new PushedMessage(mid, gid, json));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated forwarded push", e);
        }
    }
}
