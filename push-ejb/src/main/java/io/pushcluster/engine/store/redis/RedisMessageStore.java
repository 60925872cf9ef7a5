package io.pushcluster.engine.store.redis;

import java.util.function.ToIntFunction;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.Backend;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.PartialSaveException;
import io.pushcluster.engine.store.StoreUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Messages in Redis sorted sets, one per key, on the server the ketama ring assigns the key to (see
 * the package documentation for the layout). A call that cannot be completed within
 * {@code push.redis.timeout-ms} throws {@link io.pushcluster.engine.store.StoreUnavailableException};
 * the pools reconnect by themselves when a server comes back.
 */
@ApplicationScoped
@Backend("redis")
public class RedisMessageStore implements MessageStore {

    /** Keys the purge takes from the expiry index per round trip. */
    private static final int PURGE_BATCH = 500;
    /** The field of a shared body's hash that holds the message. */
    private static final byte[] BODY_FIELD = {'b'};
    /**
     * How long a key's set outlives its latest message. Reads skip expired members by this node's
     * clock, so the set's own lifetime in Redis is only a backstop for abandoned keys; the slack keeps
     * a difference between this node's clock and Redis's from dropping messages that are still live.
     */
    static final long TTL_SLACK_MILLIS = 60_000;
    /** Half the range of a long: Redis adds its clock to a time to live without overflowing. */
    private static final long LONGEST_TTL_MILLIS = Long.MAX_VALUE / 2;

    private Shards shards;
    private StoreKeys names;
    private ToIntFunction<String> capOf;
    private LongSupplier clockMillis;
    private long longestSaveMillis;

    protected RedisMessageStore() {
    }

    @Inject
    public RedisMessageStore(PushSettings settings) {
        this(Shards.open(settings), settings.redis().keyPrefix(), settings::storeCapOf, System::currentTimeMillis);
        // a wait for a connection, then the call, tried once more on a new connection when it broke
        this.longestSaveMillis = settings.redis().poolMaxWaitMillis() + 2L * settings.redis().timeoutMillis();
    }

    /** @param clockMillis the time that sets how long a key's set lives in Redis */
    RedisMessageStore(Shards shards, String keyPrefix, ToIntFunction<String> capOf, LongSupplier clockMillis) {
        this.shards = shards;
        this.names = new StoreKeys(keyPrefix);
        this.capOf = capOf;
        this.clockMillis = clockMillis;
    }

    /**
     * Writes nothing when Redis runs the save after the deadline by which this store stops waiting
     * for it (see {@link Shard#deadline}): what the caller is told, stored or failed, is what happened.
     */
    @Override
    public void save(String key, StoredMessage message) {
        long started = System.currentTimeMillis();
        Shard shard = shards.forKey(key);
        Object result = shard.call(jedis -> StoreScripts.SAVE.run(jedis, saveCall(key, message,
                shard.deadline(jedis, started))));
        if (result instanceof Long code && code == StoreScripts.LATE) {
            throw shard.late();
        }
    }

    /**
     * One script per server holding any of the keys, which stores the message's body once on that
     * server and a member referring to it in each key's set (a server with one of the keys gets a
     * plain save); a server that fails, or runs the save after its deadline, fails only its keys.
     */
    @Override
    public void saveForKeys(Collection<String> keys, StoredMessage message) {
        long started = System.currentTimeMillis();
        Set<String> failed = new LinkedHashSet<>();
        StoreUnavailableException[] firstFailure = {null};
        shards.forKeys(keys).forEach((shard, shardKeys) -> {
            try {
                Object result = shard.call(jedis -> {
                    long deadline = shard.deadline(jedis, started);
                    return shardKeys.size() == 1 ? StoreScripts.SAVE.run(jedis, saveCall(shardKeys.get(0), message, deadline))
                            : StoreScripts.SAVE_SHARED.run(jedis, sharedSaveCall(shardKeys, message, deadline));
                });
                if (result instanceof Long code && code == StoreScripts.LATE) {
                    failed.addAll(shardKeys);
                    if (firstFailure[0] == null) {
                        firstFailure[0] = shard.late();
                    }
                }
            } catch (StoreUnavailableException e) {
                failed.addAll(shardKeys);
                if (firstFailure[0] == null) {
                    firstFailure[0] = e;
                }
            }
        });
        if (failed.isEmpty()) {
            return;
        }
        if (failed.size() == new LinkedHashSet<>(keys).size()) {
            throw firstFailure[0];
        }
        throw new PartialSaveException(failed, firstFailure[0]);
    }

    private LuaScript.Call saveCall(String key, StoredMessage message, long redisDeadlineMillis) {
        return new LuaScript.Call(
                List.of(names.messages(key), names.expiryIndex(), names.maxMid()),
                List.of(bytes(message.mid()), MessageMember.of(message), bytes(capOf.applyAsInt(key)),
                        bytes(ttlOf(message)), bytes(message.expiresAtMillis()), key.getBytes(StandardCharsets.UTF_8),
                        bytes(redisDeadlineMillis), names.bodies()));
    }

    private LuaScript.Call sharedSaveCall(List<String> keys, StoredMessage message, long redisDeadlineMillis) {
        String bodyId = MessageMember.bodyIdOf(message);
        List<byte[]> redisKeys = new ArrayList<>(List.of(names.body(bodyId), names.expiryIndex(), names.maxMid()));
        List<byte[]> args = new ArrayList<>(List.of(bytes(message.mid()), MessageMember.reference(message, bodyId),
                message.message().getBytes(StandardCharsets.UTF_8), bytes(ttlOf(message)),
                bytes(message.expiresAtMillis()), bytes(redisDeadlineMillis), names.bodies()));
        for (String key : keys) {
            redisKeys.add(names.messages(key));
            args.add(bytes(capOf.applyAsInt(key)));
            args.add(key.getBytes(StandardCharsets.UTF_8));
        }
        return new LuaScript.Call(redisKeys, args);
    }

    /** How long a set or body holding the message lives in Redis. */
    private long ttlOf(StoredMessage message) {
        return Math.min(Math.max(message.expiresAtMillis() - clockMillis.getAsLong(), 0) + TTL_SLACK_MILLIS,
                LONGEST_TTL_MILLIS);
    }

    /**
     * Expired and unreadable members met on the way are removed, except those referring to a shared
     * body, which the purge removes (it also unreferences the body). A member whose body is gone is
     * skipped.
     */
    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
        byte[] set = names.messages(key);
        return shards.forKey(key).call(jedis -> {
            List<StoredMessage> found = new ArrayList<>();
            List<byte[]> stale = new ArrayList<>();
            Map<Integer, String> references = new TreeMap<>();
            for (byte[] member : jedis.zrangeByScore(set, bytes("(" + afterMid), bytes("+inf"))) {
                Optional<StoredMessage> message = MessageMember.parse(member);
                if (message.isPresent() && message.get().expiresAtMillis() > nowMillis) {
                    MessageMember.bodyId(message.get()).ifPresent(id -> references.put(found.size(), id));
                    found.add(message.get());
                } else if (message.isEmpty() || MessageMember.bodyId(message.get()).isEmpty()) {
                    stale.add(member);
                }
            }
            if (!stale.isEmpty()) {
                jedis.zrem(set, stale.toArray(new byte[0][]));
            }
            return references.isEmpty() ? found : withBodies(jedis, found, references);
        });
    }

    private List<StoredMessage> withBodies(Jedis jedis, List<StoredMessage> found, Map<Integer, String> references) {
        Map<Integer, Response<byte[]>> bodies = new TreeMap<>();
        try (Pipeline pipeline = jedis.pipelined()) {
            references.forEach((at, id) -> bodies.put(at, pipeline.hget(names.body(id), BODY_FIELD)));
            pipeline.sync();
        }
        List<StoredMessage> messages = new ArrayList<>(found);
        bodies.forEach((at, body) -> {
            StoredMessage reference = found.get(at);
            byte[] text = body.get();
            messages.set(at, text == null ? null : new StoredMessage(reference.mid(), reference.gid(),
                    new String(text, StandardCharsets.UTF_8), reference.expiresAtMillis()));
        });
        messages.removeIf(Objects::isNull);
        return messages;
    }

    /**
     * Unreferences the shared bodies the key's members refer to. Leaves the key in the expiry index;
     * the next purge after its expiry drops it.
     */
    @Override
    public void delete(String key) {
        shards.forKey(key).call(jedis -> StoreScripts.DELETE_KEY.run(jedis,
                new LuaScript.Call(List.of(names.messages(key)), List.of(names.bodies()))));
    }

    /**
     * Counts the expired members this purge removed. Members that reads already removed, and sets that
     * Redis dropped when their time to live ran out, are gone without being counted.
     */
    @Override
    public int purgeExpired(long nowMillis) {
        int purged = 0;
        for (Shard shard : shards.all()) {
            purged += shard.call(jedis -> purge(jedis, nowMillis));
        }
        return purged;
    }

    private int purge(Jedis jedis, long nowMillis) {
        int purged = 0;
        List<byte[]> due;
        do {
            due = jedis.zrangeByScore(names.expiryIndex(), bytes("-inf"), bytes(nowMillis), 0, PURGE_BATCH);
            List<LuaScript.Call> purges = due.stream().map(key -> new LuaScript.Call(
                    List.of(names.messages(key), names.expiryIndex()),
                    List.of(bytes(nowMillis), key, names.bodies()))).toList();
            for (Object removed : StoreScripts.PURGE_KEY.runAll(jedis, purges)) {
                purged += ((Long) removed).intValue();
            }
        } while (due.size() == PURGE_BATCH);
        return purged;
    }

    /**
     * The largest mid ever saved, from each server's high-water mark: deleting or purging messages
     * does not lower it.
     */
    @Override
    public long maxMid() {
        long max = 0;
        for (Shard shard : shards.all()) {
            byte[] value = shard.call(jedis -> jedis.get(names.maxMid()));
            if (value != null) {
                max = Math.max(max, Long.parseLong(new String(value, StandardCharsets.US_ASCII)));
            }
        }
        return max;
    }

    @Override
    public long longestSaveMillis() {
        return longestSaveMillis;
    }

    @Override
    public void check() {
        shards.all().forEach(shard -> shard.call(Jedis::ping));
    }

    @PreDestroy
    void close() {
        shards.close();
    }

    private static byte[] bytes(long number) {
        return bytes(Long.toString(number));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
