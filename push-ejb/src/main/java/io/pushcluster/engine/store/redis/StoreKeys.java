package io.pushcluster.engine.store.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The names of the Redis keys the store writes, all starting with the configured prefix. */
final class StoreKeys {

    /** Never part of UTF-8 text, so no message key's name continues the prefix with it. */
    private static final byte NOT_UTF8 = (byte) 0xFF;

    private final byte[] prefix;
    private final byte[] maxMid;
    private final byte[] expiryIndex;
    private final byte[] bodies;

    StoreKeys(String prefix) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.maxMid = bookkeeping("max-mid");
        this.expiryIndex = bookkeeping("expiry");
        this.bodies = bookkeeping("body:");
    }

    /** The sorted set of a key's messages. */
    byte[] messages(String key) {
        return messages(key.getBytes(StandardCharsets.UTF_8));
    }

    byte[] messages(byte[] utf8Key) {
        return concat(prefix, utf8Key);
    }

    /** The largest mid ever saved on a server. */
    byte[] maxMid() {
        return maxMid;
    }

    /** Keys with messages, scored by the earliest expiry among their messages (or earlier). */
    byte[] expiryIndex() {
        return expiryIndex;
    }

    /** What the name of every shared body starts with; its id follows. */
    byte[] bodies() {
        return bodies;
    }

    /** The hash of a shared body: the message and how many members refer to it. */
    byte[] body(String id) {
        return concat(bodies, id.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] bookkeeping(String name) {
        return concat(concat(prefix, new byte[] {NOT_UTF8}), name.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
    }
}
