package io.pushcluster.engine.store.redis;

import io.pushcluster.api.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A stored message as the text of a sorted-set member: {@code <mid>:<gid>:<expiry ms>:<message>}, or
 * {@code <mid>:<gid>:<expiry ms>:@<body id>} for a message stored once for several keys of a server,
 * whose body is a hash of its own ({@link StoreKeys#body}). No message starts with {@code @} (every
 * message is JSON). The mid makes a member unique per key, and the same message always gives the
 * same text (a body's id is its mid and a digest of its text), so saving it twice stores it once.
 */
final class MessageMember {

    private static final String REFERENCE = "@";

    private MessageMember() {
    }

    static byte[] of(StoredMessage message) {
        return (message.mid() + ":" + message.gid() + ":" + message.expiresAtMillis() + ":" + message.message())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The member of a key referring to the shared body {@code bodyId}. */
    static byte[] reference(StoredMessage message, String bodyId) {
        return of(new StoredMessage(message.mid(), message.gid(), REFERENCE + bodyId, message.expiresAtMillis()));
    }

    /** The id of the body a parsed member refers to; empty when it holds its message itself. */
    static Optional<String> bodyId(StoredMessage parsed) {
        return parsed.message().startsWith(REFERENCE) ? Optional.of(parsed.message().substring(1)) : Optional.empty();
    }

    /**
     * The id of the body of a message saved for several keys: the same for the same mid and text, so
     * that a save run again refers to the same body, and distinct for any two messages in practice
     * (64 bits of SHA-256 beside the mid).
     */
    static String bodyIdOf(StoredMessage message) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(message.message().getBytes(StandardCharsets.UTF_8));
            return message.mid() + "." + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** The message a member holds; empty when the member is not in this form. */
    static Optional<StoredMessage> parse(byte[] member) {
        String text = new String(member, StandardCharsets.UTF_8);
        int afterMid = text.indexOf(':');
        int afterGid = text.indexOf(':', afterMid + 1);
        int afterExpiry = text.indexOf(':', afterGid + 1);
        if (afterMid < 0 || afterGid < 0 || afterExpiry < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredMessage(
                    Long.parseLong(text, 0, afterMid, 10),
                    Integer.parseInt(text, afterMid + 1, afterGid, 10),
                    text.substring(afterExpiry + 1),
                    Long.parseLong(text, afterGid + 1, afterExpiry, 10)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
