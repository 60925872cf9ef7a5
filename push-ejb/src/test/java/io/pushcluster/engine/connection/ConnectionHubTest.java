package io.pushcluster.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionHubTest {

    private static final long SECOND = 1_000_000_000L;

    /** A connection that records what it is sent and whether it was closed. */
    private final PushStats stats = new PushStats();

    private ConnectionHub hub(Map<String, String> settings) {
        return new ConnectionHub(new PushSettings(name -> Optional.ofNullable(settings.get(name))), stats);
    }

    private ConnectionHub hub() {
        return hub(Map.of());
    }

    private static PushedMessage message(long mid) {
        return new PushedMessage(mid, PushedMessage.PRIVATE, "{\"n\":" + mid + "}");
    }

    @Test
    void kickOldestMakesRoomForTheNewestTellingTheOldestWhy() {
        ConnectionHub hub = hub(Map.of(PushSettings.SUBSCRIBERS_PER_KEY, "2", PushSettings.SUBSCRIBERS_ON_EXCESS,
                "kick-oldest"));
        FakeConnection first = new FakeConnection("a");
        FakeConnection second = new FakeConnection("a");
        FakeConnection third = new FakeConnection("a");
        assertTrue(hub.add(first));
        assertTrue(hub.add(second));

        assertTrue(hub.add(third));

        assertEquals(List.of(Ending.KICKED), first.endings);
        assertTrue(second.endings.isEmpty());
        assertEquals(2, hub.connectionsOf("a"));
        assertEquals(2, hub.connections());
        hub.deliver("a", message(1));
        assertEquals(List.of(), first.received);
        assertEquals(1, second.received.size());
        assertEquals(1, third.received.size());
        assertEquals(1L, stats.connectionCounters().get("kicked"));
        assertEquals(0L, stats.connectionCounters().get("refused"));
    }

    @Test
    void withOneConnectionPerKeyEachNewSubscriberKicksThePreviousOneUnderConcurrency() throws Exception {
        ConnectionHub hub = hub(Map.of(PushSettings.SUBSCRIBERS_PER_KEY, "1", PushSettings.SUBSCRIBERS_ON_EXCESS,
                "kick-oldest"));
        List<FakeConnection> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        FakeConnection connection = new FakeConnection("user");
                        all.add(connection);
                        assertTrue(hub.add(connection));
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, hub.connectionsOf("user"), "one user, one connection");
        assertEquals(1, hub.connections());
        long kicked = all.stream().filter(c -> c.endings.equals(List.of(Ending.KICKED))).count();
        assertEquals(all.size() - 1, kicked, "every connection but the one held was kicked, once");
        assertEquals((long) all.size() - 1, stats.connectionCounters().get("kicked"));
    }

    @Test
    void refuseStaysTheDefaultAndEndClosesEveryConnectionOfTheKey() {
        ConnectionHub hub = hub(Map.of(PushSettings.SUBSCRIBERS_PER_KEY, "2"));
        FakeConnection first = new FakeConnection("a");
        FakeConnection second = new FakeConnection("a");
        assertTrue(hub.add(first));
        assertTrue(hub.add(second));
        assertFalse(hub.add(new FakeConnection("a")));

        assertEquals(2, hub.end("a", Ending.BANNED));

        assertEquals(List.of(Ending.BANNED), first.endings);
        assertEquals(List.of(Ending.BANNED), second.endings);
        assertEquals(0, hub.connections());
        assertEquals(0, hub.end("a", Ending.KICKED));
    }

    @Test
    void emptyHubHasNothing() {
        ConnectionHub hub = hub();
        assertEquals(0, hub.connections());
        assertEquals(0, hub.keys());
        assertEquals(0, hub.connectionsOf("k"));
        assertEquals(0, hub.deliver("k", message(1)));
    }

    @Test
    void addCountsConnectionsAndKeys() {
        ConnectionHub hub = hub();
        assertTrue(hub.add(new FakeConnection("a")));
        assertTrue(hub.add(new FakeConnection("a")));
        assertTrue(hub.add(new FakeConnection("b")));
        assertEquals(3, hub.connections());
        assertEquals(2, hub.keys());
        assertEquals(2, hub.connectionsOf("a"));
        assertEquals(1, hub.connectionsOf("b"));
        assertEquals(0, hub.connectionsOf("c"));
        assertEquals(3L, stats.connectionCounters().get("added"));
    }

    @Test
    void removeForgetsTheConnectionAndAnEmptyKey() {
        ConnectionHub hub = hub();
        FakeConnection a1 = new FakeConnection("a");
        FakeConnection a2 = new FakeConnection("a");
        hub.add(a1);
        hub.add(a2);
        hub.remove(a1);
        assertEquals(1, hub.connections());
        assertEquals(1, hub.connectionsOf("a"));
        assertEquals(1, hub.keys());
        hub.remove(a2);
        assertEquals(0, hub.connections());
        assertEquals(0, hub.connectionsOf("a"));
        assertEquals(0, hub.keys());
        assertEquals(2L, stats.connectionCounters().get("removed"));
    }

    @Test
    void removingAConnectionNotHeldDoesNothing() {
        ConnectionHub hub = hub();
        FakeConnection held = new FakeConnection("a");
        hub.add(held);
        hub.remove(new FakeConnection("a")); // same key, another connection
        hub.remove(new FakeConnection("zzz")); // unknown key
        assertEquals(1, hub.connections());
        assertEquals(1, hub.connectionsOf("a"));
        hub.remove(held);
        hub.remove(held); // twice: counted once
        assertEquals(0, hub.connections());
        assertEquals(1L, stats.connectionCounters().get("removed"));
    }

    @Test
    void removeTakesOutExactlyThatConnection() {
        ConnectionHub hub = hub();
        FakeConnection first = new FakeConnection("a");
        FakeConnection middle = new FakeConnection("a");
        FakeConnection last = new FakeConnection("a");
        hub.add(first);
        hub.add(middle);
        hub.add(last);
        hub.remove(middle);
        assertEquals(2, hub.deliver("a", message(1)));
        assertEquals(1, first.received.size());
        assertEquals(0, middle.received.size());
        assertEquals(1, last.received.size());
    }

    @Test
    void aKeyHoldsAtMostTheConfiguredNumberOfConnections() {
        ConnectionHub hub = hub(Map.of(PushSettings.SUBSCRIBERS_PER_KEY, "2"));
        FakeConnection a1 = new FakeConnection("a");
        assertTrue(hub.add(a1));
        assertTrue(hub.add(new FakeConnection("a")));
        FakeConnection refused = new FakeConnection("a");
        assertFalse(hub.add(refused));
        assertEquals(2, hub.connectionsOf("a"));
        assertEquals(2, hub.connections());
        assertEquals(1L, stats.connectionCounters().get("refused"));
        assertEquals(2L, stats.connectionCounters().get("added"));

        assertTrue(hub.add(new FakeConnection("b")), "another key has its own limit");
        assertEquals(0, hub.deliver("zzz", message(1)));
        hub.deliver("a", message(1));
        assertTrue(refused.received.isEmpty(), "a refused connection must not receive messages");

        hub.remove(a1);
        assertTrue(hub.add(new FakeConnection("a")), "room again after a removal");
        assertEquals(2, hub.connectionsOf("a"));
    }

    @Test
    void defaultLimitIs64PerKey() {
        ConnectionHub hub = hub();
        for (int i = 0; i < 64; i++) {
            assertTrue(hub.add(new FakeConnection("k")), "connection " + i);
        }
        assertFalse(hub.add(new FakeConnection("k")));
        assertEquals(64, hub.connectionsOf("k"));
    }

    @Test
    void concurrentAddsNeverExceedTheLimit() throws Exception {
        ConnectionHub hub = hub(Map.of(PushSettings.SUBSCRIBERS_PER_KEY, "10"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    int added = 0;
                    for (int i = 0; i < 100; i++) {
                        if (hub.add(new FakeConnection("hot"))) {
                            added++;
                        }
                    }
                    return added;
                }));
            }
            start.countDown();
            int added = 0;
            for (Future<Integer> future : futures) {
                added += future.get(30, TimeUnit.SECONDS);
            }
            assertEquals(10, added);
            assertEquals(10, hub.connectionsOf("hot"));
            assertEquals(10, hub.connections());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deliverReachesOnlyTheKeysConnections() {
        ConnectionHub hub = hub();
        FakeConnection a1 = new FakeConnection("a");
        FakeConnection a2 = new FakeConnection("a");
        FakeConnection b = new FakeConnection("b");
        FakeConnection prefix = new FakeConnection("aa");
        hub.add(a1);
        hub.add(a2);
        hub.add(b);
        hub.add(prefix);
        PushedMessage m = message(7);
        assertEquals(2, hub.deliver("a", m));
        assertEquals(List.of(m), a1.received);
        assertEquals(List.of(m), a2.received);
        assertSame(m, a1.received.get(0));
        assertTrue(b.received.isEmpty());
        assertTrue(prefix.received.isEmpty());
        assertEquals(0, hub.deliver("c", m));
    }

    @Test
    void deliverCountsOnlyConnectionsThatQueuedTheMessage() {
        ConnectionHub hub = hub();
        FakeConnection ok = new FakeConnection("a");
        FakeConnection full = new FakeConnection("a");
        full.accepts = false;
        hub.add(ok);
        hub.add(full);
        assertEquals(1, hub.deliver("a", message(1)));
        assertEquals(1, ok.received.size());
    }

    @Test
    void deliverKeepsTheOrderOfMessages() {
        ConnectionHub hub = hub();
        FakeConnection c = new FakeConnection("a");
        hub.add(c);
        for (long mid = 1; mid <= 5; mid++) {
            hub.deliver("a", message(mid));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), c.received.stream().map(PushedMessage::mid).toList());
    }

    @Test
    void closeSilentClosesAndRemovesOnlyConnectionsSilentTooLong() {
        ConnectionHub hub = hub();
        long now = 1_000 * SECOND;
        FakeConnection silent = new FakeConnection("a", now - 36 * SECOND, 35 * SECOND);
        FakeConnection recent = new FakeConnection("a", now - 10 * SECOND, 35 * SECOND);
        FakeConnection atTheLimit = new FakeConnection("b", now - 35 * SECOND, 35 * SECOND);
        FakeConnection longHeartbeat = new FakeConnection("c", now - 100 * SECOND, 305 * SECOND);
        FakeConnection otherSilent = new FakeConnection("d", now - 400 * SECOND, 65 * SECOND);
        for (FakeConnection c : List.of(silent, recent, atTheLimit, longHeartbeat, otherSilent)) {
            hub.add(c);
        }

        assertEquals(2, hub.closeSilent(now));

        assertTrue(silent.closed());
        assertTrue(otherSilent.closed());
        assertFalse(recent.closed());
        assertFalse(atTheLimit.closed());
        assertFalse(longHeartbeat.closed());
        assertEquals(3, hub.connections());
        assertEquals(1, hub.connectionsOf("a"));
        assertEquals(0, hub.connectionsOf("d"));
        assertEquals(3, hub.keys());
        assertEquals(2L, stats.connectionCounters().get("heartbeatTimeouts"));
        assertEquals(1, hub.deliver("a", message(1)));
        assertEquals(1, recent.received.size());
        assertTrue(silent.received.isEmpty());
    }

    @Test
    void closeSilentWithNothingSilentClosesNothing() {
        ConnectionHub hub = hub();
        FakeConnection c = new FakeConnection("a", 100 * SECOND, 35 * SECOND);
        hub.add(c);
        assertEquals(0, hub.closeSilent(100 * SECOND));
        assertEquals(0, hub.closeSilent(135 * SECOND));
        assertFalse(c.closed());
        assertEquals(1, hub.closeSilent(135 * SECOND + 1));
        assertTrue(c.closed());
        assertEquals(0, hub.connections());
        assertEquals(0, hub.closeSilent(1_000 * SECOND), "a removed connection is not closed again");
        assertEquals(1, c.closes.get());
    }

    @Test
    void closeSilentCopesWithNanoTimeAnywhereInItsRange() {
        // System.nanoTime() may be negative or near overflow; only differences are meaningful
        ConnectionHub hub = hub();
        long heard = Long.MAX_VALUE - 5 * SECOND;
        FakeConnection c = new FakeConnection("a", heard, 35 * SECOND);
        hub.add(c);
        assertEquals(0, hub.closeSilent(heard + 10 * SECOND)); // wraps to negative
        assertFalse(c.closed());
        assertEquals(1, hub.closeSilent(heard + 40 * SECOND));
        assertTrue(c.closed());
    }

    @Test
    void closeAllClosesAndRemovesEverything() {
        ConnectionHub hub = hub();
        List<FakeConnection> all = List.of(new FakeConnection("a"), new FakeConnection("a"), new FakeConnection("b"),
                new FakeConnection("c"));
        all.forEach(hub::add);
        hub.closeAll();
        for (FakeConnection c : all) {
            assertEquals(1, c.closes.get());
        }
        assertEquals(0, hub.connections());
        assertEquals(0, hub.keys());
        assertEquals(0, hub.deliver("a", message(1)));
        assertEquals(4L, stats.connectionCounters().get("removed"));
    }

    @Test
    void closeWhereClosesOnlyTheConnectionsOfTheNamedKeys() {
        ConnectionHub hub = hub();
        FakeConnection a1 = new FakeConnection("a");
        FakeConnection a2 = new FakeConnection("a");
        FakeConnection b = new FakeConnection("b");
        List.of(a1, a2, b).forEach(hub::add);
        assertEquals(2, hub.closeWhere("a"::equals));
        assertEquals(1, a1.closes.get());
        assertEquals(1, a2.closes.get());
        assertEquals(0, b.closes.get());
        assertEquals(1, hub.connections());
        assertEquals(0, hub.deliver("a", message(1)));
        assertEquals(1, hub.deliver("b", message(1)));
        assertEquals(0, hub.closeWhere(key -> false));
    }
}
