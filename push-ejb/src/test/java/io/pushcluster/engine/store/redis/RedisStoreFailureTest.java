package io.pushcluster.engine.store.redis;

import io.pushcluster.engine.config.RedisSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.PartialSaveException;
import io.pushcluster.engine.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;

/** A Redis server that is down or slow fails calls within the time-out; they work again when it is back. */
class RedisStoreFailureTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final long MID = 1_700_000_000_000_000L;
    private static final int TIMEOUT_MILLIS = 500;
    /** What a loaded two-core machine may add to a time-out. */
    private static final long SLACK_MILLIS = 1_000;

    private final RedisStores stores = new RedisStores();
    private EmbeddedRedis redis;

    @BeforeEach
    void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterEach
    void stopRedis() {
        stores.close();
        redis.close();
    }

    private MessageStore store() {
        return stores.open(Map.of(
                RedisSettings.SERVERS, "one=" + redis.uri(),
                RedisSettings.TIMEOUT_MS, Integer.toString(TIMEOUT_MILLIS)), 20, NOW);
    }

    private static StoredMessage message(long mid) {
        return new StoredMessage(mid, 0, "{\"n\":" + mid + "}", NOW + HOUR);
    }

    private static long unavailableWithin(long limitMillis, Executable call) {
        long start = System.nanoTime();
        assertThrows(StoreUnavailableException.class, call);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < limitMillis, "failed after " + tookMillis + " ms");
        return tookMillis;
    }

    @Test
    void everyCallFailsAtOnceWhileTheServerIsDown() {
        MessageStore store = store();
        store.save("k", message(MID));
        redis.stop();
        long limit = TIMEOUT_MILLIS + SLACK_MILLIS;
        unavailableWithin(limit, () -> store.save("k", message(MID + 1)));
        unavailableWithin(limit, () -> store.saveForKeys(List.of("a", "b"), message(MID + 2)));
        unavailableWithin(limit, () -> store.messagesAfter("k", 0, NOW));
        unavailableWithin(limit, () -> store.delete("k"));
        unavailableWithin(limit, () -> store.purgeExpired(NOW));
        unavailableWithin(limit, store::maxMid);
        unavailableWithin(limit, store::check);
    }

    @Test
    void aServerThatDoesNotAnswerFailsCallsAfterTheTimeout() throws Exception {
        MessageStore store = store();
        store.save("k", message(MID));
        CompletableFuture<Object> sleeping = CompletableFuture.supplyAsync(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", redis.port(), 10_000)) {
                return jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "SLEEP", "3");
            }
        });
        Thread.sleep(300);
        long took = unavailableWithin(TIMEOUT_MILLIS + SLACK_MILLIS, () -> store.messagesAfter("k", 0, NOW));
        assertTrue(took >= TIMEOUT_MILLIS - 50, "gave up after " + took + " ms, before the time-out");
        unavailableWithin(TIMEOUT_MILLIS + SLACK_MILLIS, () -> store.save("k", message(MID + 1)));
        sleeping.get(10, TimeUnit.SECONDS);

        store.save("k", message(MID + 2));
        List<Long> mids = store.messagesAfter("k", 0, NOW).stream().map(StoredMessage::mid).toList();
        assertTrue(mids.containsAll(List.of(MID, MID + 2)), "stored " + mids);
    }

    /**
     * Saves sent to a server paused like SIGSTOP fail within the time-out; when it resumes it runs
     * them, late, and they must write nothing: a push answered as failed is never stored after all.
     */
    @Test
    void savesThatReachAPausedServerFailAndAreNotStoredWhenItResumes() throws Exception {
        MessageStore store = store();
        store.save("k", message(MID));
        long evalsBefore;
        try (Jedis probe = redis.client()) {
            evalsBefore = commandCalls(probe, "evalsha") + commandCalls(probe, "eval");
        }
        redis.pause();
        try {
            long limit = TIMEOUT_MILLIS + SLACK_MILLIS;
            unavailableWithin(limit, () -> store.save("k", message(MID + 1)));
            unavailableWithin(limit, () -> store.saveForKeys(List.of("k", "j"), message(MID + 2)));
        } finally {
            redis.resume();
        }
        try (Jedis probe = redis.client()) {
            // a command of its own, answered only after those the server received before it
            assertEquals("PONG", probe.ping());
            long evals = commandCalls(probe, "evalsha") + commandCalls(probe, "eval") - evalsBefore;
            // one for the save, one for the save for both keys (their body once, a reference each)
            assertTrue(evals >= 2, "the server ran the late saves (" + evals + " script calls)");
        }
        assertEquals(List.of(MID), store.messagesAfter("k", 0, NOW).stream().map(StoredMessage::mid).toList());
        assertEquals(List.of(), store.messagesAfter("j", 0, NOW));
        store.save("k", message(MID + 3));
        assertEquals(List.of(MID, MID + 3), store.messagesAfter("k", 0, NOW).stream().map(StoredMessage::mid).toList());
    }

    /** How often the server ran a command, from INFO commandstats. */
    private static long commandCalls(Jedis jedis, String command) {
        for (String line : jedis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                String calls = line.substring(("cmdstat_" + command + ":calls=").length());
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void callsWorkAgainWhenTheServerIsBackWithTheSameStore() {
        MessageStore store = store();
        store.save("k", message(MID));
        redis.stop();
        assertThrows(StoreUnavailableException.class, () -> store.save("k", message(MID + 1)));
        assertThrows(StoreUnavailableException.class, store::check);
        redis.restart();

        store.check();
        store.save("k", message(MID + 2));
        store.saveForKeys(List.of("a", "b"), message(MID + 3));
        assertEquals(List.of(message(MID + 2)), store.messagesAfter("k", 0, NOW), "this Redis keeps nothing on disk");
        assertEquals(List.of(message(MID + 3)), store.messagesAfter("b", 0, NOW));
    }

    @Test
    void aRestartBetweenTwoCallsFailsNeitherOfThem() throws Exception {
        MessageStore store = store();
        CompletableFuture<?>[] concurrent = new CompletableFuture<?>[4];
        for (int i = 0; i < concurrent.length; i++) {
            long mid = MID + i;
            concurrent[i] = CompletableFuture.runAsync(() -> store.save("k", message(mid)));
        }
        CompletableFuture.allOf(concurrent).get(10, TimeUnit.SECONDS);
        redis.stop();
        redis.restart();

        store.save("k", message(MID + 10));
        assertEquals(List.of(message(MID + 10)), store.messagesAfter("k", 0, NOW));
        store.check();
    }

    @Test
    void aServerDownFailsOnlyTheKeysItHolds() {
        try (EmbeddedRedis other = EmbeddedRedis.start()) {
            MessageStore store = stores.open(Map.of(
                    RedisSettings.SERVERS, "a=" + redis.uri() + ",b=" + other.uri(),
                    RedisSettings.TIMEOUT_MS, Integer.toString(TIMEOUT_MILLIS)), 20, NOW);
            String onA = RedisStores.keyOn("a", Map.of("a", 1, "b", 1));
            String onB = RedisStores.keyOn("b", Map.of("a", 1, "b", 1));
            other.stop();

            store.save(onA, message(MID));
            assertEquals(List.of(message(MID)), store.messagesAfter(onA, 0, NOW));
            assertThrows(StoreUnavailableException.class, () -> store.save(onB, message(MID)));
            PartialSaveException partial = assertThrows(PartialSaveException.class,
                    () -> store.saveForKeys(List.of(onA, onB), message(MID + 1)));
            assertEquals(Set.of(onB), partial.failedKeys());
            assertEquals(List.of(message(MID), message(MID + 1)), store.messagesAfter(onA, 0, NOW),
                    "the key on the working server was stored");
            assertThrows(StoreUnavailableException.class, store::check);
            assertThrows(StoreUnavailableException.class, store::maxMid);
        }
    }
}
