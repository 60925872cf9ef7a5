package io.pushcluster.engine.store.redis;

import io.pushcluster.engine.config.RedisSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.ring.KetamaRing;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.MessageStoreContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The store contract on two real Redis servers, weighted 1 and 2, and where the keys land. */
class ShardedRedisMessageStoreTest extends MessageStoreContract {

    private static final Map<String, Integer> WEIGHTS = Map.of("a", 1, "b", 2);
    private static EmbeddedRedis a;
    private static EmbeddedRedis b;
    private final RedisStores stores = new RedisStores();

    @BeforeAll
    static void startRedis() {
        a = EmbeddedRedis.start();
        b = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        a.close();
        b.close();
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }

    @Override
    protected long serversHolding(List<String> keys) {
        KetamaRing ring = KetamaRing.of(WEIGHTS);
        return keys.stream().map(ring::nodeFor).distinct().count();
    }

    @Override
    protected long copiesHeld(String body) {
        return RedisCopies.of(a, body) + RedisCopies.of(b, body);
    }

    @Override
    protected MessageStore newStore(int cap, int publicCap) {
        a.flushAll();
        b.flushAll();
        return stores.open(Map.of(
                RedisSettings.SERVERS, "a=" + a.uri() + ",b=" + b.uri(),
                RedisSettings.WEIGHTS, "a=1,b=2"), cap, publicCap, () -> NOW);
    }

    private static Set<String> messageKeys(EmbeddedRedis server) {
        try (Jedis jedis = server.client()) {
            return jedis.keys("push:m:user-*");
        }
    }

    @Test
    void eachKeyLivesOnTheServerTheRingNamesAndBothServersHoldSome() {
        MessageStore store = newStore(20);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add("user-" + i);
            store.save("user-" + i, message(MID + i));
        }
        assertKeysWhereTheRingSays(keys);
    }

    @Test
    void aMultiKeySaveReachesEveryServer() {
        MessageStore store = newStore(20);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add("user-" + i);
        }
        store.saveForKeys(keys, message(MID));
        assertKeysWhereTheRingSays(keys);
    }

    private static void assertKeysWhereTheRingSays(List<String> keys) {
        KetamaRing ring = KetamaRing.of(WEIGHTS);
        Set<String> onA = messageKeys(a);
        Set<String> onB = messageKeys(b);
        assertFalse(onA.isEmpty(), "server a holds no key");
        assertFalse(onB.isEmpty(), "server b holds no key");
        assertEquals(keys.size(), onA.size() + onB.size());
        for (String key : keys) {
            Set<String> expected = ring.nodeFor(key).equals("a") ? onA : onB;
            assertTrue(expected.contains("push:m:" + key), key + " is not on " + ring.nodeFor(key));
        }
        assertTrue(onB.size() > onA.size(), "b weighs twice as much: a " + onA.size() + ", b " + onB.size());
    }

    @Test
    void maxMidIsTheLargestOfEveryServersHighWaterMark() {
        MessageStore store = newStore(20);
        String onA = RedisStores.keyOn("a", WEIGHTS);
        String onB = RedisStores.keyOn("b", WEIGHTS);
        store.save(onA, message(MID + 9));
        store.save(onB, message(MID + 4));
        assertEquals(MID + 9, store.maxMid());
        store.save(onB, message(MID + 12));
        assertEquals(MID + 12, store.maxMid());
    }
}
