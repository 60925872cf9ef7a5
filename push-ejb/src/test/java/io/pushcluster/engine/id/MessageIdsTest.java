package io.pushcluster.engine.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    /** A clock the test sets by hand. */
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000_000L);
    private final MessageIds ids = new MessageIds(clock::get);

    @Test
    void maxExactIsTwoToTheFiftyThreeMinusOne() {
        assertEquals(9_007_199_254_740_991L, MessageIds.MAX_EXACT);
        assertEquals(MessageIds.MAX_EXACT, (long) (double) MessageIds.MAX_EXACT);
    }

    @Test
    void firstIdIsTheClock() {
        assertEquals(clock.get(), ids.next());
    }

    @Test
    void clockStandingStillStillGivesIncreasingIds() {
        long first = ids.next();
        long second = ids.next();
        long third = ids.next();
        assertEquals(first + 1, second);
        assertEquals(second + 1, third);
    }

    @Test
    void clockGoingBackwardsNeverGivesASmallerId() {
        long before = ids.next();
        clock.addAndGet(-3_600_000_000L); // an hour back
        long after = ids.next();
        assertTrue(after > before, after + " should exceed " + before);
        assertEquals(before + 1, after);
        clock.addAndGet(-1);
        assertEquals(before + 2, ids.next());
    }

    @Test
    void clockJumpingForwardIsFollowed() {
        ids.next();
        clock.addAndGet(5_000_000L);
        assertEquals(clock.get(), ids.next());
    }

    @Test
    void afterTheClockWentBackIdsFollowItAgainOnceItHasCaughtUp() {
        long before = ids.next();
        clock.addAndGet(-10);
        ids.next();
        clock.set(before + 1_000);
        assertEquals(before + 1_000, ids.next());
    }

    @Test
    void manyIdsWithAStandingClockAreStrictlyIncreasing() {
        long previous = ids.next();
        for (int i = 0; i < 10_000; i++) {
            long id = ids.next();
            assertTrue(id > previous);
            previous = id;
        }
    }

    @Test
    void currentIsNeverUsedUpByTheNextId() {
        long current = ids.current();
        long next = ids.next();
        assertTrue(next > current, next + " should exceed time id " + current);
    }

    @Test
    void currentAfterIdsWereHandedOutIsNotBelowThemAndTheNextIdExceedsIt() {
        long a = ids.next();
        long b = ids.next(); // clock standing: b = a + 1, ahead of the clock
        long current = ids.current();
        assertTrue(current >= b, "time id " + current + " below an id already handed out " + b);
        assertTrue(ids.next() > current);
        assertTrue(b > a);
    }

    @Test
    void currentDoesNotAdvanceItselfWhenTheClockStandsStill() {
        long first = ids.current();
        long second = ids.current();
        assertEquals(first, second);
        assertEquals(clock.get(), first);
    }

    @Test
    void currentWithTheClockGoingBackIsNeverSmaller() {
        long first = ids.current();
        clock.addAndGet(-1_000_000);
        long second = ids.current();
        assertTrue(second >= first);
        assertTrue(ids.next() > first);
    }

    @Test
    void currentFollowsTheClock() {
        ids.current();
        clock.addAndGet(42);
        assertEquals(clock.get(), ids.current());
    }

    @Test
    void advancePastMakesTheNextIdGreater() {
        long stored = clock.get() + 1_000_000_000L; // a stored mid from a node whose clock ran ahead
        ids.advancePast(stored);
        assertEquals(stored + 1, ids.next());
        assertTrue(ids.current() >= stored + 1);
    }

    @Test
    void advancePastASmallerValueChangesNothing() {
        long first = ids.next();
        ids.advancePast(first - 100);
        ids.advancePast(0);
        assertEquals(first + 1, ids.next());
    }

    @Test
    void advancePastMakesTheTimeIdAtLeastThatMid() {
        long stored = clock.get() + 77;
        ids.advancePast(stored);
        long current = ids.current();
        assertTrue(current >= stored);
        assertTrue(ids.next() > current);
    }

    @Test
    void idsUpToMaxExactAreHandedOut() {
        clock.set(MessageIds.MAX_EXACT - 1);
        assertEquals(MessageIds.MAX_EXACT - 1, ids.next());
        assertEquals(MessageIds.MAX_EXACT, ids.next());
    }

    @Test
    void anIdBeyondMaxExactThrows() {
        clock.set(MessageIds.MAX_EXACT);
        assertEquals(MessageIds.MAX_EXACT, ids.next());
        assertThrows(IllegalStateException.class, ids::next);
        assertThrows(IllegalStateException.class, ids::next, "exhausted ids stay exhausted");
    }

    @Test
    void aClockBeyondMaxExactThrows() {
        clock.set(MessageIds.MAX_EXACT + 1);
        assertThrows(IllegalStateException.class, ids::next);
    }

    @Test
    void advancingPastMaxExactThrowsOnTheNextId() {
        ids.advancePast(MessageIds.MAX_EXACT);
        assertThrows(IllegalStateException.class, ids::next);
    }

    @Test
    void advancingPastTheLargestLongNeverGivesASmallerId() {
        // advancePast promises every later id is greater than the mid; no id is greater than
        // Long.MAX_VALUE, so next() must refuse rather than wrap around to the clock.
        ids.advancePast(Long.MAX_VALUE);
        assertThrows(IllegalStateException.class, ids::next);
    }

    @Test
    void systemClockIdsAreIncreasingMicrosecondsBelowMaxExact() {
        MessageIds system = MessageIds.systemClock();
        long before = System.currentTimeMillis() * 1000L;
        long first = system.next();
        long second = system.next();
        long after = System.currentTimeMillis() * 1000L + 1000L;
        assertTrue(second > first);
        assertTrue(first >= before - 1000L && first <= after, "not microseconds since the epoch: " + first);
        assertTrue(second < MessageIds.MAX_EXACT);
    }

    @Test
    void concurrentIdsAreAllUniqueAndIncreasingPerThread() throws Exception {
        assertConcurrentIdsUnique(new MessageIds(() -> 1_000L)); // standing clock: maximal contention
        assertConcurrentIdsUnique(MessageIds.systemClock());
        AtomicLong wobbling = new AtomicLong(1_000_000L);
        assertConcurrentIdsUnique(new MessageIds(() -> {
            long t = wobbling.incrementAndGet();
            return t % 7 == 0 ? t - 500 : t; // now and then the clock steps back
        }));
    }

    private static void assertConcurrentIdsUnique(MessageIds source) throws Exception {
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<long[]> task = () -> {
                    start.await();
                    long[] got = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        got[i] = source.next();
                    }
                    return got;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            Set<Long> all = new HashSet<>();
            for (Future<long[]> future : futures) {
                long[] got = future.get(60, TimeUnit.SECONDS);
                for (int i = 0; i < got.length; i++) {
                    if (i > 0) {
                        assertTrue(got[i] > got[i - 1], "ids of one thread must increase");
                    }
                    all.add(got[i]);
                }
            }
            assertEquals(threads * perThread, all.size(), "duplicate ids handed out");
        } finally {
            pool.shutdownNow();
        }
    }
}
