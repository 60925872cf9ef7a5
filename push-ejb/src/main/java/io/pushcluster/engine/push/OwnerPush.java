package io.pushcluster.engine.push;

import io.pushcluster.engine.cluster.WireText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A push another member asks this one to do because this one owns its keys, and the answer: the bytes
 * of {@link io.pushcluster.engine.cluster.OwnerRequests}, readable by any member without the sender's
 * classes.
 */
final class OwnerPush {

    private static final int VERSION = 1;

    private OwnerPush() {
    }

    /**
     * @param budgetMillis how long the asking member still waits for the answer, from when it sent the
     *                     request (a time span, so that the members' clocks need not agree)
     * @param floorMid     a mid the push's mid must exceed: the asking member's current id, so that a
     *                     client that took a time id there sees only larger mids
     * @param idempotencyKey the push's idempotency key, or empty
     */
    record Request(List<String> keys, int gid, String json, long expireSeconds, long budgetMillis, long floorMid,
            String idempotencyKey) {

        byte[] toBytes() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + json.length());
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                out.writeInt(gid);
                out.writeLong(expireSeconds);
                out.writeLong(budgetMillis);
                out.writeLong(floorMid);
                WireText.writeAll(out, keys);
                WireText.write(out, json);
                WireText.write(out, idempotencyKey);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /** @throws IllegalArgumentException when the bytes are not a request of this version */
        static Request fromBytes(byte[] payload) {
            try (DataInputStream in = open(payload)) {
                int gid = in.readInt();
                long expireSeconds = in.readLong();
                long budgetMillis = in.readLong();
                long floorMid = in.readLong();
                List<String> keys = WireText.readAll(in, payload.length);
                String json = WireText.read(in, payload.length);
                String idempotencyKey = WireText.read(in, payload.length);
                end(in);
                return new Request(keys, gid, json, expireSeconds, budgetMillis, floorMid, idempotencyKey);
            } catch (IOException e) {
                throw new IllegalArgumentException("truncated push request", e);
            }
        }
    }

    /**
     * What became of a push: its mid, the keys it failed for, and the keys the member asked does not
     * own, for which it did nothing.
     */
    record Reply(long mid, List<String> failedKeys, List<String> notOwnedKeys, boolean refused) {

        /** The answer to a request the owner could not read. */
        static Reply unreadable() {
            return new Reply(0, List.of(), List.of(), true);
        }

        byte[] toBytes() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                out.writeBoolean(refused);
                out.writeLong(mid);
                WireText.writeAll(out, failedKeys);
                WireText.writeAll(out, notOwnedKeys);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static Reply fromBytes(byte[] payload) {
            try (DataInputStream in = open(payload)) {
                boolean refused = in.readBoolean();
                long mid = in.readLong();
                List<String> failed = WireText.readAll(in, payload.length);
                List<String> notOwned = WireText.readAll(in, payload.length);
                end(in);
                return new Reply(mid, failed, notOwned, refused);
            } catch (IOException e) {
                throw new IllegalArgumentException("truncated push reply", e);
            }
        }
    }

    private static DataInputStream open(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IllegalArgumentException("push request or reply of version " + version);
        }
        return in;
    }

    private static void end(DataInputStream in) throws IOException {
        if (in.available() > 0) {
            throw new IllegalArgumentException("trailing bytes");
        }
    }
}
