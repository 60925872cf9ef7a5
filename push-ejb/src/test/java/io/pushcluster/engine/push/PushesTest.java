package io.pushcluster.engine.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.cluster.DeliveryRouter;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.OwnerRequests;
import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.grid.SoloGrid;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.FakeConnection;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.PartialSaveException;
import io.pushcluster.engine.store.StoreUnavailableException;
import io.pushcluster.engine.store.memory.InMemoryMessageStore;
import io.pushcluster.engine.message.PushedMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Store-then-deliver and the limits of {@link Pushes}, with an in-memory or a failing store. */
class PushesTest {

    private final PushSettings settings = new PushSettings(name -> Optional.ofNullable(Map.of(
            PushSettings.KEY_MAX_LENGTH, "10",
            PushSettings.MESSAGE_MAX_BYTES, "20",
            PushSettings.MULTI_MAX_KEYS, "3").get(name)));
    private final PushStats stats = new PushStats();
    private final ConnectionHub hub = new ConnectionHub(settings, stats);
    private final FakeConnection subscriber = new FakeConnection("k1");
    private final SharedMap records = SharedMap.inMemory();
    private Pushes push;

    @BeforeEach
    void wire() {
        push = withStore(new InMemoryMessageStore(20));
        hub.add(subscriber);
    }

    private Pushes withStore(MessageStore store) {
        SoloGrid grid = new SoloGrid();
        Membership membership = new Membership(settings, grid);
        membership.enter();
        OwnerRequests requests = new OwnerRequests(grid);
        return WiredPushes.of(settings, store, membership, requests,
                new DeliveryRouter(membership, grid, hub, stats, requests),
                new IdempotencyKeys(records, () -> List.of(grid.localId()), grid.localId(), store, 600,
                        System::currentTimeMillis), stats);
    }

    @Test
    void storesBeforeDeliveringWithTheSameMid() {
        long mid = push.push("k1", "{\"a\":1}", 60);
        assertEquals(1, subscriber.received.size());
        assertEquals(mid, subscriber.received.get(0).mid());
        assertEquals(List.of(mid), push.messagesAfter("k1", 0).stream().map(StoredMessage::mid).toList());
    }

    @Test
    void zeroExpiryIsDeliveredButNotStored() {
        push.push("k1", "{}", 0);
        assertEquals(1, subscriber.received.size());
        assertTrue(push.messagesAfter("k1", 0).isEmpty());
    }

    @Test
    void aStorageFailureFailsThePushAndDeliversNothing() {
        push = withStore(new FailingStore());
        assertThrows(PushFailedException.class, () -> push.push("k1", "{}", 60));
        assertTrue(subscriber.received.isEmpty());
        assertEquals(1L, stats.messageCounters().get("failed"));
        assertEquals(0L, stats.messageCounters().get("pushed"));
    }

    @Test
    void aStorageFailureDoesNotStopLiveOnlyPushes() {
        push = withStore(new FailingStore());
        push.push("k1", "{}", 0);
        assertEquals(1, subscriber.received.size());
    }

    @Test
    void aStorageFailureInAMultiPushReportsEveryKeyFailed() {
        push = withStore(new FailingStore());
        assertEquals(List.of("k1", "k2"), push.pushToMany(List.of("k1", "k2", "k1"), "{}", 60));
        assertTrue(subscriber.received.isEmpty());
    }

    @Test
    void aPartlyFailedMultiPushReportsAndSkipsOnlyTheKeysThatFailed() {
        FakeConnection other = new FakeConnection("k2");
        hub.add(other);
        push = withStore(new InMemoryMessageStore(20) {
            @Override
            public void saveForKeys(Collection<String> keys, StoredMessage message) {
                super.saveForKeys(List.of("k1"), message);
                throw new PartialSaveException(Set.of("k2"), null);
            }
        });
        assertEquals(List.of("k2"), push.pushToMany(List.of("k1", "k2"), "{}", 60));
        assertEquals(1, subscriber.received.size(), "the stored key is delivered");
        assertTrue(other.received.isEmpty(), "the key that was not stored is not");
        assertEquals(1L, stats.messageCounters().get("failed"));
        assertEquals(1L, stats.messageCounters().get("stored"));
    }

    @Test
    void aMultiPushStoresForEveryDistinctKeyOnce() {
        assertEquals(List.of(), push.pushToMany(List.of("k1", "k2", "k1"), "[1]", 60));
        assertEquals(1, push.messagesAfter("k1", 0).size());
        assertEquals(1, push.messagesAfter("k2", 0).size());
        assertEquals(1, subscriber.received.size());
    }

    @Test
    void limitsAreParameterErrorsAndInvalidJsonIsAFailure() {
        assertThrows(InvalidParameterException.class, () -> push.push("", "{}", 0));
        assertThrows(InvalidParameterException.class, () -> push.push("k".repeat(11), "{}", 0));
        assertThrows(InvalidParameterException.class, () -> push.push("k1", "\"" + "x".repeat(20) + "\"", 0));
        assertThrows(InvalidParameterException.class, () -> push.push("k1", "{}", -1));
        assertThrows(InvalidParameterException.class, () -> push.pushToMany(List.of("a", "b", "c", "d"), "{}", 0));
        assertThrows(InvalidParameterException.class, () -> push.pushToMany(List.of(), "{}", 0));
        assertThrows(InvalidParameterException.class, () -> push.pushToMany(List.of("a", ""), "{}", 0));
        assertThrows(PushFailedException.class, () -> push.push("k1", "{oops", 60));
        assertTrue(subscriber.received.isEmpty());
        assertTrue(push.messagesAfter("k1", 0).isEmpty());
    }

    @Test
    void midsIncreaseAndTimeIdPrecedesTheNextPush() {
        long first = push.push("k1", "1", 0);
        long time = push.currentTimeId();
        long second = push.push("k1", "2", 0);
        assertTrue(first <= time && time < second);
    }

    /**
     * Many threads push to two keys while every save takes a random time and one in twenty fails:
     * each subscriber sees exactly the pushes that were answered with a mid, each once, in
     * increasing mid order, and the store holds exactly the stored ones.
     */
    @Test
    void concurrentPushesThroughASlowAndFlakyStoreArriveInMidOrderExactlyAsAnswered() throws Exception {
        FakeConnection other = new FakeConnection("k2");
        hub.add(other);
        push = withStore(new InMemoryMessageStore(100_000) {
            @Override
            public void save(String key, StoredMessage message) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                LockSupport.parkNanos(random.nextInt(2_000_000));
                if (random.nextInt(20) == 0) {
                    throw new StoreUnavailableException("flaky", null);
                }
                super.save(key, message);
            }
        });
        ConcurrentPushers run = ConcurrentPushers.run(8, 150, List.of("k1", "k2"), thread -> push);
        run.assertDeliveredAndStoredAsAnswered(subscriber, push.store);
        run.assertDeliveredAndStoredAsAnswered(other, push.store);
        assertTrue(stats.messageCounters().get("failed") > 0, "the store failed some pushes");
    }

    /**
     * A save that hangs holds back the later messages of its key, not their callers: a push without
     * expiry behind it is answered at once and delivered right after it.
     */
    @Test
    void aStalledSaveHoldsBackLaterMessagesOfItsKeyButNotTheirCallers() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        push = withStore(new InMemoryMessageStore(20) {
            @Override
            public void save(String key, StoredMessage message) {
                if (message.message().contains("stall")) {
                    stalled.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.save(key, message);
            }
        });
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> push.push("k1", "{\"stall\":1}", 60));
        assertTrue(stalled.await(10, TimeUnit.SECONDS));
        long second = push.push("k1", "{\"live\":1}", 0);
        assertTrue(subscriber.received.isEmpty(), "nothing overtakes the message still being stored");
        push.push("other", "{}", 0);
        release.countDown();
        long firstMid = first.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(firstMid, second), subscriber.received.stream().map(PushedMessage::mid).toList());
    }

    @Test
    void aPushSentAgainWithItsIdempotencyKeyIsAnsweredWithTheFirstMidAndNotRepeated() {
        long first = push.push("k1", "{\"a\":1}", 60, "order-1");
        long again = push.push("k1", "{\"a\":1}", 60, "order-1");
        assertEquals(first, again);
        assertEquals(1, subscriber.received.size(), "delivered once");
        assertEquals(List.of(first), push.messagesAfter("k1", 0).stream().map(StoredMessage::mid).toList(), "stored once");
        long other = push.push("k1", "{\"a\":1}", 60, "order-2");
        assertTrue(other > first, "another idempotency key is another push");
        assertThrows(InvalidParameterException.class, () -> push.push("k1", "{\"a\":2}", 60, "order-1"),
                "an idempotency key reused for another message");
        assertThrows(InvalidParameterException.class, () -> push.push("k1", "{}", 60, "x".repeat(257)));
    }

    @Test
    void aFailedPushMayBeRetriedWithTheSameIdempotencyKey() {
        boolean[] down = {true};
        push = withStore(new InMemoryMessageStore(20) {
            @Override
            public void save(String key, StoredMessage message) {
                if (down[0]) {
                    throw new StoreUnavailableException("down");
                }
                super.save(key, message);
            }
        });
        assertThrows(PushFailedException.class, () -> push.push("k1", "{}", 60, "retry-me"));
        down[0] = false;
        long mid = push.push("k1", "{}", 60, "retry-me");
        assertEquals(List.of(mid), push.messagesAfter("k1", 0).stream().map(StoredMessage::mid).toList());
        assertEquals(List.of(mid), subscriber.received.stream().map(PushedMessage::mid).toList());
    }

    @Test
    void concurrentTriesWithOneIdempotencyKeyPushOnce() throws Exception {
        push = withStore(new InMemoryMessageStore(20) {
            @Override
            public void save(String key, StoredMessage message) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(5_000_000));
                super.save(key, message);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> tries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tries.add(pool.submit(() -> push.push("k1", "{}", 60, "once")));
            }
            Set<Long> mids = new java.util.HashSet<>();
            for (Future<Long> attempt : tries) {
                mids.add(attempt.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, mids.size(), "every try is answered with the one mid");
            assertEquals(1, subscriber.received.size());
            assertEquals(1, push.messagesAfter("k1", 0).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMultiPushSentAgainPushesOnlyToTheKeysTheFirstTryFailedFor() {
        FakeConnection other = new FakeConnection("k2");
        hub.add(other);
        boolean[] k2Down = {true};
        push = withStore(new InMemoryMessageStore(20) {
            @Override
            public void saveForKeys(Collection<String> keys, StoredMessage message) {
                super.saveForKeys(keys.stream().filter(key -> !k2Down[0] || !key.equals("k2")).toList(), message);
                if (k2Down[0] && keys.contains("k2")) {
                    throw new PartialSaveException(Set.of("k2"), null);
                }
            }
        });
        assertEquals(List.of("k2"), push.pushToMany(List.of("k1", "k2"), "{}", 60, "multi"));
        k2Down[0] = false;
        assertEquals(List.of(), push.pushToMany(List.of("k1", "k2"), "{}", 60, "multi"));
        assertEquals(1, subscriber.received.size(), "k1 got it once");
        assertEquals(1, other.received.size(), "k2 got it on the second try");
        assertEquals(1, push.messagesAfter("k1", 0).size());
        assertEquals(1, push.messagesAfter("k2", 0).size());
    }

    @Test
    void aClaimLeftByAMemberThatDiedIsSettledByWhatTheStoreHolds() {
        String fingerprint = IdempotencyKeys.fingerprint("{}", 60);
        long stored = push.push("k1", "{}", 60);
        records.putIfAbsent("died-after-storing\nk1", "c|gone|" + stored + "|" + Long.MAX_VALUE + "|" + fingerprint);
        records.putIfAbsent("died-before-storing\nk1", "c|gone|" + (stored + 1000) + "|" + Long.MAX_VALUE + "|" + fingerprint);
        assertEquals(stored, push.push("k1", "{}", 60, "died-after-storing"), "stored: the dead member's push counts");
        assertEquals(1, subscriber.received.size());
        long anew = push.push("k1", "{}", 60, "died-before-storing");
        assertTrue(anew > stored, "not stored: pushed anew");
        assertEquals(2, subscriber.received.size());
    }

    private static final class FailingStore implements MessageStore {
        private static StoreUnavailableException down() {
            return new StoreUnavailableException("store down", null);
        }

        @Override
        public void save(String key, StoredMessage message) {
            throw down();
        }

        @Override
        public void saveForKeys(Collection<String> keys, StoredMessage message) {
            throw down();
        }

        @Override
        public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
            throw down();
        }

        @Override
        public void delete(String key) {
            throw down();
        }

        @Override
        public int purgeExpired(long nowMillis) {
            throw down();
        }

        @Override
        public long maxMid() {
            throw down();
        }

        @Override
        public void check() {
            throw down();
        }
    }
}
