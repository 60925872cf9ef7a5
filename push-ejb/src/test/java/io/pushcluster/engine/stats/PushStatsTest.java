package io.pushcluster.engine.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;

class PushStatsTest {

    private final LocalMeters meters = new LocalMeters();
    private final PushStats stats = new PushStats(meters);

    @Test
    void pushesAreCountedByKindAndTheRetCodeTheyAnswerWith() {
        assertEquals(7L, stats.counted(PushKind.PRIVATE, () -> 7L));
        assertThrows(InvalidParameterException.class, () -> stats.counted(PushKind.PRIVATE, () -> {
            throw new InvalidParameterException("no key");
        }));
        assertThrows(PushFailedException.class, () -> stats.counted(PushKind.MULTI, () -> {
            throw new PushFailedException("store down");
        }));
        assertThrows(IllegalStateException.class, () -> stats.counted(PushKind.GROUP, () -> {
            throw new IllegalStateException("grid gone");
        }));
        assertEquals(1L, stats.count(PushKind.PRIVATE, RetCode.OK));
        assertEquals(1L, stats.count(PushKind.PRIVATE, RetCode.INVALID));
        assertEquals(0L, stats.count(PushKind.PRIVATE, RetCode.FAILED));
        assertEquals(1L, stats.count(PushKind.MULTI, RetCode.FAILED));
        assertEquals(1L, stats.count(PushKind.GROUP, RetCode.FAILED));
        assertEquals(0L, stats.count(PushKind.PUBLIC, RetCode.OK));
    }

    @Test
    void theAdminStatsNamesAddUpTheLabelledCounters() {
        stats.opened(TransportKind.SUB);
        stats.opened(TransportKind.TCP);
        stats.opened(TransportKind.WEBSOCKET);
        stats.closed(TransportKind.TCP);
        stats.refused(Refusal.KEY_FULL);
        stats.refused(Refusal.LISTENER_FULL);
        stats.refused(Refusal.BANNED);
        stats.refused(Refusal.NOT_OWNER);
        stats.disconnected(Disconnect.MIGRATED, 3);
        stats.disconnected(Disconnect.SLOW);
        Map<String, Long> connections = stats.connectionCounters();
        assertEquals(3L, connections.get("added"));
        assertEquals(1L, connections.get("removed"));
        assertEquals(2L, connections.get("refused"), "a full key and a full listener, as before the labels");
        assertEquals(1L, connections.get("refusedBanned"));
        assertEquals(3L, connections.get("migrated"));
        assertEquals(1L, connections.get("slowDisconnects"));
        assertEquals(0L, stats.current(TransportKind.TCP));
        assertEquals(1L, stats.current(TransportKind.SUB));
        assertEquals(1L, meters.gaugeValue("push.connections", new Tag("transport", "websocket")),
                "the gauge exported is the count open now");
    }

    @Test
    void deliveriesAreTimedFromWhenTheMessageWasAccepted() {
        long accepted = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(5);
        stats.deliveredSince(accepted);
        assertEquals(1L, stats.delivery().timer().getCount());
        assertEquals(true, stats.delivery().timer().getSnapshot().getMax() >= TimeUnit.MILLISECONDS.toNanos(5));
    }

    /** Refusals and disconnects are logged as one line a minute: what grew since the last line. */
    @Test
    void theSummarySaysWhatGrewSinceTheLastOne() {
        assertEquals(java.util.Optional.empty(), stats.sinceLastSummary());
        stats.refused(Refusal.KEY_FULL);
        stats.refused(Refusal.PER_IP);
        stats.refused(Refusal.PER_IP);
        stats.disconnected(Disconnect.SLOW);
        assertEquals("refused 3 subscribers (key_full 1, per_ip 2); closed 1 connections (slow 1)",
                stats.sinceLastSummary().orElseThrow());
        assertEquals(java.util.Optional.empty(), stats.sinceLastSummary(), "nothing new");
        stats.disconnected(Disconnect.HEARTBEAT_TIMEOUT, 4);
        assertEquals("closed 4 connections (heartbeat_timeout 4)", stats.sinceLastSummary().orElseThrow());
    }

    /** Eight threads open, close and push at once: every count is exact, none lost to a race. */
    @Test
    void countsStayExactUnderConcurrency() throws Exception {
        int threads = 8;
        int each = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            TransportKind transport = TransportKind.values()[t % TransportKind.values().length];
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    stats.opened(transport);
                    stats.counted(PushKind.PRIVATE, () -> 1L);
                    if (i % 2 == 0) {
                        stats.closed(transport);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long open = 0;
        for (TransportKind t : TransportKind.values()) {
            open += stats.current(t);
        }
        assertEquals((long) threads * each / 2, open);
        assertEquals((long) threads * each, stats.count(PushKind.PRIVATE, RetCode.OK));
        assertEquals((long) threads * each, stats.connectionCounters().get("added"));
    }
}
