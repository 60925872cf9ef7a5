package io.pushcluster.engine.store.redis;

import io.pushcluster.api.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A stored message as the text of a sorted-set member: {@code <mid>:<gid>:<expiry ms>:<message>}.
 * The mid makes it unique per key, and the same message always gives the same text, so saving it
 * twice stores it once.
 */
final class MessageMember {

    private MessageMember() {
    }

    static byte[] of(StoredMessage message) {
        return (message.mid() + ":" + message.gid() + ":" + message.expiresAtMillis() + ":" + message.message())
                .getBytes(StandardCharsets.UTF_8);
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
