package io.pushcluster.engine.store.redis;

import io.pushcluster.engine.config.RedisSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.MessageStoreContract;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/** The store contract, and how the store lays messages out, on one real Redis server. */
class RedisMessageStoreTest extends MessageStoreContract {

    private static EmbeddedRedis redis;
    private final RedisStores stores = new RedisStores();

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }

    @Override
    protected long copiesHeld(String body) {
        return RedisCopies.of(redis, body);
    }

    @Override
    protected MessageStore newStore(int cap, int publicCap) {
        redis.flushAll();
        return stores.open(Map.of(RedisSettings.SERVERS, "one=" + redis.uri()), cap, publicCap, () -> NOW);
    }

    @Test
    void aMessageIsOneMemberScoredByItsExactMid() {
        MessageStore store = newStore(20);
        long mid = (1L << 53) - 1;
        store.save("k", new StoredMessage(mid, 0, "{\"a\":\"b:c\"}", NOW + HOUR));
        try (Jedis jedis = redis.client()) {
            List<Tuple> members = jedis.zrangeWithScores("push:m:k", 0, -1);
            assertEquals(1, members.size());
            assertEquals((double) mid, members.get(0).getScore());
            assertEquals(mid + ":0:" + (NOW + HOUR) + ":{\"a\":\"b:c\"}", members.get(0).getElement());
        }
    }

    @Test
    void aMessageForSeveralKeysIsOneBodyHashAndAReferringMemberPerKeyAndSavingItAgainAddsNothing() {
        MessageStore store = newStore(20);
        StoredMessage shared = new StoredMessage(MID, 0, "{\"g\":1}", NOW + HOUR);
        store.saveForKeys(List.of("a", "b", "c"), shared);
        store.saveForKeys(List.of("a", "b", "c"), shared);
        String id = MessageMember.bodyIdOf(shared);
        byte[] body = new StoreKeys("push:m:").body(id);
        try (Jedis jedis = redis.client()) {
            assertEquals("{\"g\":1}", new String(jedis.hget(body, "b".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
            assertEquals("3", new String(jedis.hget(body, "r".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
            long ttl = jedis.pttl(body);
            assertTrue(ttl > HOUR && ttl <= HOUR + RedisMessageStore.TTL_SLACK_MILLIS, "time to live " + ttl);
            for (String key : List.of("a", "b", "c")) {
                assertEquals(List.of(MID + ":0:" + (NOW + HOUR) + ":@" + id), jedis.zrange("push:m:" + key, 0, -1));
            }
        }
        assertEquals(List.of(shared), store.messagesAfter("b", 0, NOW));
    }

    @Test
    void keysStartWithTheConfiguredPrefix() {
        redis.flushAll();
        MessageStore store = stores.open(Map.of(RedisSettings.SERVERS, "one=" + redis.uri(),
                RedisSettings.KEY_PREFIX, "app:"), 20, NOW);
        store.save("k", message(MID));
        try (Jedis jedis = redis.client()) {
            assertTrue(jedis.exists("app:k"));
            assertFalse(jedis.exists("push:m:k"));
        }
        assertEquals(List.of(message(MID)), store.messagesAfter("k", 0, NOW));
    }

    @Test
    void aKeysSetLivesUntilAMinuteAfterItsLatestMessageExpires() {
        MessageStore store = newStore(20);
        store.save("k", expiringAt(MID + 1, NOW + HOUR));
        store.save("k", expiringAt(MID + 2, NOW + 2 * HOUR));
        store.save("k", expiringAt(MID + 3, NOW + HOUR / 2));
        try (Jedis jedis = redis.client()) {
            long ttl = jedis.pttl("push:m:k");
            long latest = 2 * HOUR + RedisMessageStore.TTL_SLACK_MILLIS;
            assertTrue(ttl > latest - 60_000 && ttl <= latest, "time to live " + ttl);
        }
    }

    @Test
    void expiredAndUnreadableMembersAreSkippedAndRemovedWhenRead() {
        MessageStore store = newStore(20);
        store.save("k", expiringAt(MID + 1, NOW - 1));
        store.save("k", message(MID + 4));
        try (Jedis jedis = redis.client()) {
            jedis.zadd("push:m:k", MID + 2, "not a message");
            jedis.zadd("push:m:k", MID + 3, "1:x:y:{}");
            assertEquals(List.of(message(MID + 4)), store.messagesAfter("k", 0, NOW));
            assertEquals(1, jedis.zcard("push:m:k"));
        }
    }

    @Test
    void purgeRemovesUnreadableMembersToo() {
        MessageStore store = newStore(20);
        store.save("k", message(MID + 1));
        try (Jedis jedis = redis.client()) {
            jedis.zadd("push:m:k", MID + 2, "not a message");
        }
        store.save("k", expiringAt(MID + 3, NOW - 1));
        assertEquals(2, store.purgeExpired(NOW));
        assertEquals(List.of(message(MID + 1)), store.messagesAfter("k", 0, NOW - 2 * HOUR));
    }

    @Test
    void purgeTakesKeysWithNothingLeftOutOfTheExpiryIndex() {
        MessageStore store = newStore(20);
        for (int i = 0; i < 1_200; i++) {
            store.save("gone-" + i, expiringAt(MID + i, NOW - 1));
        }
        store.save("kept", message(MID + 5_000));
        assertEquals(1_200, store.purgeExpired(NOW));
        try (Jedis jedis = redis.client()) {
            List<String> indexed = new ArrayList<>();
            jedis.zrange(new StoreKeys("push:m:").expiryIndex(), 0, -1)
                    .forEach(key -> indexed.add(new String(key, StandardCharsets.UTF_8)));
            assertEquals(List.of("kept"), indexed);
        }
    }

    @Test
    void maxMidIsAHighWaterMarkThatDeletingDoesNotLower() {
        MessageStore store = newStore(20);
        store.save("k", message(MID + 5));
        store.delete("k");
        assertEquals(MID + 5, store.maxMid());
        store.save("k", message(MID + 3));
        assertEquals(MID + 5, store.maxMid());
    }

    @Test
    void keysLikeTheBookkeepingNamesAreOrdinaryKeys() {
        MessageStore store = newStore(20);
        store.save("\u00ffmax-mid", message(MID + 1));
        store.save("\u00ffexpiry", expiringAt(MID + 2, NOW - 1));
        assertEquals(MID + 2, store.maxMid());
        assertEquals(List.of(message(MID + 1)), store.messagesAfter("\u00ffmax-mid", 0, NOW));
        assertEquals(1, store.purgeExpired(NOW));
    }

    @Test
    void scriptsAreSentAgainWhenTheServerHasForgottenThem() {
        MessageStore store = newStore(20);
        store.save("a", message(MID + 1));
        try (Jedis jedis = redis.client()) {
            jedis.scriptFlush();
        }
        store.save("a", message(MID + 2));
        try (Jedis jedis = redis.client()) {
            jedis.scriptFlush();
        }
        store.saveForKeys(List.of("a", "b", "c"), message(MID + 3));
        store.save("c", expiringAt(MID + 4, NOW - 1));
        try (Jedis jedis = redis.client()) {
            jedis.scriptFlush();
        }
        assertEquals(1, store.purgeExpired(NOW));
        assertEquals(List.of(MID + 1, MID + 2, MID + 3), store.messagesAfter("a", 0, NOW).stream()
                .map(StoredMessage::mid).toList());
        assertEquals(List.of(message(MID + 3)), store.messagesAfter("c", 0, NOW));
    }

    @Test
    void aMultiKeySaveIsOnePipelineNotARoundTripPerKey() throws Exception {
        long delay = 25;
        redis.flushAll();
        try (SlowLink link = SlowLink.to(redis.port(), delay)) {
            MessageStore store = stores.open(Map.of(
                    RedisSettings.SERVERS, "slow=redis://127.0.0.1:" + link.port(),
                    RedisSettings.TIMEOUT_MS, "10000"), 20, NOW);
            store.save("warm-up", message(MID));

            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                store.save("one-" + i, message(MID + 1));
            }
            long oneByOneMillis = (System.nanoTime() - start) / 1_000_000;

            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                keys.add("many-" + i);
            }
            start = System.nanoTime();
            store.saveForKeys(keys, message(MID + 2));
            long pipelinedMillis = (System.nanoTime() - start) / 1_000_000;

            assertTrue(oneByOneMillis >= 10 * delay, "each save is a round trip: " + oneByOneMillis + " ms");
            assertTrue(pipelinedMillis < 10 * delay, "200 keys in " + pipelinedMillis + " ms, 10 single saves in "
                    + oneByOneMillis + " ms");
            for (String key : keys) {
                assertEquals(List.of(message(MID + 2)), store.messagesAfter(key, 0, NOW), key);
            }
        }
    }
}
