/**
 * The Redis message store (Jedis), sharded over several Redis servers with the ketama ring.
 *
 * <p>Each key's messages are one sorted set named {@code <prefix><key>}: the score is the mid (exact,
 * as mids stay below 2^53), the member is {@link io.pushcluster.engine.store.redis.MessageMember}'s
 * text. Each server also keeps two bookkeeping keys, {@code <prefix>} followed by the byte 0xFF and
 * {@code max-mid} or {@code expiry}: a byte that UTF-8 never produces, so no message key can have
 * those names. {@code max-mid} is the largest mid ever saved on that server; {@code expiry} is a sorted
 * set of the keys holding messages, scored by the earliest expiry among them, which lets the purge
 * visit only keys with something to remove. A message saved for several keys of a server is stored
 * there once, as the hash {@code <prefix>} 0xFF {@code body:<id>} (the message and a count of the
 * members that refer to it); each key's set holds a member referring to it, and the scripts that
 * remove members lower the count and delete the body at zero.
 *
 * <p>Every write is a Lua script or a single command, so a repeated call leaves the same data: this
 * is what lets {@link io.pushcluster.engine.store.redis.Shard} retry a call once on a fresh
 * connection after the server restarted.
 */
package io.pushcluster.engine.store.redis;
