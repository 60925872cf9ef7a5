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
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.FakeConnection;
import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.grid.SoloGrid;
import io.pushcluster.engine.message.PublicStream;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.StoreUnavailableException;
import io.pushcluster.engine.store.memory.InMemoryMessageStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Public messages on a member alone: one stream, every connection, stored once, the truth answered. */
class PublicPushesTest {

    private final PushSettings settings = new PushSettings(name -> Optional.ofNullable(Map.of(
            PushSettings.MESSAGE_MAX_BYTES, "64",
            PushSettings.STORE_CAP, "3",
            PushSettings.PUBLIC_CAP, "100000").get(name)));
    private final PushStats stats = new PushStats();
    private final ConnectionHub hub = new ConnectionHub(settings, stats);
    private final List<FakeConnection> subscribers = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private Pushes push;
    private MessageStore store;

    @BeforeEach
    void wire() {
        for (String key : List.of("a", "a", "b", "c")) {
            FakeConnection connection = new FakeConnection(key);
            subscribers.add(connection);
            hub.add(connection);
        }
        push = withStore(new InMemoryMessageStore(settings));
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private Pushes withStore(MessageStore chosen) {
        store = chosen;
        SoloGrid grid = new SoloGrid();
        Membership membership = new Membership(settings, grid);
        membership.enter();
        OwnerRequests requests = new OwnerRequests(grid);
        return WiredPushes.of(settings, chosen, membership, requests,
                new DeliveryRouter(membership, grid, hub, stats, requests),
                new IdempotencyKeys(SharedMap.inMemory(), () -> List.of(grid.localId()), grid.localId(), chosen, 600,
                        System::currentTimeMillis), stats);
    }

    @Test
    void everyConnectionOfEveryKeyReceivesItOnceWithGidOne() {
        long pmid = push.pushPublic("{\"news\":1}", 0);
        for (FakeConnection subscriber : subscribers) {
            assertEquals(1, subscriber.received.size(), subscriber.key());
            PushedMessage received = subscriber.received.get(0);
            assertEquals(pmid, received.mid());
            assertEquals(PushedMessage.PUBLIC, received.gid());
            assertEquals("{\"msg\":{\"news\":1},\"mid\":" + pmid + ",\"gid\":1}", received.versionedForm());
        }
        assertTrue(push.publicMessagesAfter(0).isEmpty(), "expire 0 stores nothing");
    }

    @Test
    void aStoredPublicMessageIsStoredOnceAndFetchedAfterAPmid() {
        long first = push.pushPublic("{\"n\":1}", 60);
        long second = push.pushPublic("{\"n\":2}", 60);
        assertTrue(second > first);
        List<StoredMessage> stored = push.publicMessagesAfter(0);
        assertEquals(List.of(first, second), stored.stream().map(StoredMessage::mid).toList());
        assertEquals(List.of(PushedMessage.PUBLIC, PushedMessage.PUBLIC), stored.stream().map(StoredMessage::gid).toList());
        assertEquals(List.of(second), push.publicMessagesAfter(first).stream().map(StoredMessage::mid).toList());
        for (String key : List.of("a", "b", "c")) {
            assertTrue(push.messagesAfter(key, 0).isEmpty(), "no copy in the history of " + key);
        }
        assertEquals(2L, stats.messageCounters().get("stored"), "one save per public message");
    }

    @Test
    void aPublicMessageTheStoreRefusedIsAnsweredFailedAndReachesNoOne() {
        push = withStore(new InMemoryMessageStore(settings) {
            @Override
            public void save(String key, StoredMessage message) {
                throw new StoreUnavailableException("down", null);
            }
        });
        assertThrows(PushFailedException.class, () -> push.pushPublic("{}", 60));
        subscribers.forEach(subscriber -> assertEquals(List.of(), subscriber.received, subscriber.key()));
        push.pushPublic("{}", 0);
        subscribers.forEach(subscriber -> assertEquals(1, subscriber.received.size(), "live-only still goes out"));
    }

    @Test
    void limitsApplyAsToAPrivatePush() {
        assertThrows(InvalidParameterException.class, () -> push.pushPublic("\"" + "x".repeat(80) + "\"", 0));
        assertThrows(InvalidParameterException.class, () -> push.pushPublic("{}", -1));
        assertThrows(PushFailedException.class, () -> push.pushPublic("{oops", 60));
        subscribers.forEach(subscriber -> assertEquals(List.of(), subscriber.received));
    }

    @Test
    void aPublicPushSentAgainWithItsIdempotencyKeyIsNotRepeated() {
        long first = push.pushPublic("{\"once\":1}", 60, "broadcast-1");
        assertEquals(first, push.pushPublic("{\"once\":1}", 60, "broadcast-1"));
        assertEquals(1, push.publicMessagesAfter(0).size());
        subscribers.forEach(subscriber -> assertEquals(1, subscriber.received.size()));
    }

    /**
     * Eight threads push public messages through a slow store that fails one save in twenty, while
     * private pushes go on: every connection receives exactly the public messages answered as pushed,
     * once each, in increasing pmid order, and the store holds exactly those.
     */
    @Test
    void concurrentPublicPushesThroughASlowFlakyStoreArriveOnceInPmidOrderExactlyAsAnswered() throws Exception {
        push = withStore(new InMemoryMessageStore(settings) {
            @Override
            public void save(String key, StoredMessage message) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                LockSupport.parkNanos(random.nextInt(1_000_000));
                if (random.nextInt(20) == 0) {
                    throw new StoreUnavailableException("flaky", null);
                }
                super.save(key, message);
            }
        });
        Set<Long> answered = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 100; i++) {
                    long expire = i % 3 == 0 ? 0 : 60;
                    try {
                        answered.add(push.pushPublic("{\"t\":" + thread + ",\"i\":" + i + "}", expire));
                    } catch (PushFailedException e) {
                        refused.incrementAndGet();
                    }
                    if (i % 10 == 0) {
                        push.push("a", "{\"private\":" + i + "}", 0);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> thread : threads) {
            thread.get(60, TimeUnit.SECONDS);
        }
        assertTrue(refused.get() > 0, "the store refused some");
        assertEquals(800, answered.size() + refused.get());
        for (FakeConnection subscriber : subscribers) {
            List<Long> publics = subscriber.received.stream().filter(m -> m.gid() == PushedMessage.PUBLIC)
                    .map(PushedMessage::mid).toList();
            assertEquals(answered, new HashSet<>(publics), "exactly the pushes answered, on " + subscriber.key());
            assertEquals(publics.size(), answered.size(), "each once");
            for (int i = 1; i < publics.size(); i++) {
                assertTrue(publics.get(i) > publics.get(i - 1), "in pmid order");
            }
        }
        Collection<Long> stored = push.publicMessagesAfter(0).stream().map(StoredMessage::mid).toList();
        assertTrue(answered.containsAll(stored), "nothing stored that was answered failed");
        assertEquals(stored.size(), Set.copyOf(stored).size());
        assertTrue(store.messagesAfter(PublicStream.KEY, 0, System.currentTimeMillis()).size() == stored.size());
    }
}
