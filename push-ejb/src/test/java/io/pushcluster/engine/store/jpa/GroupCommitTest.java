package io.pushcluster.engine.store.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** How {@link GroupCommit} groups the items of concurrent callers, with a fake batch writer. */
class GroupCommitTest {

    private static final IllegalStateException REJECTED = new IllegalStateException("the database said no");

    /** Batches as written, a log of writes and returns, and a gate holding the first write. */
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> writerThreads = new ConcurrentHashMap<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
    private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    private final CountDownLatch firstWriteMayEnd = new CountDownLatch(1);

    /** Far enough that no test reaches it. */
    private static final long NO_DEADLINE = TimeUnit.HOURS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(System.nanoTime());
    private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
    private final List<Long> batchDeadlines = Collections.synchronizedList(new ArrayList<>());

    private GroupCommit<String> groupCommit(int maxWeight, ToIntFunction<String> weight) {
        return groupCommit(maxWeight, weight, clock::get);
    }

    private GroupCommit<String> groupCommit(int maxWeight, ToIntFunction<String> weight, LongSupplier clockNanos) {
        return new GroupCommit<>(maxWeight, weight, (batch, deadline) -> {
            batchDeadlines.add(deadline);
            if (batches.isEmpty()) {
                firstWriteStarted.countDown();
                awaitQuietly(firstWriteMayEnd);
            }
            batches.add(List.copyOf(batch));
            batch.forEach(item -> writerThreads.put(item, Thread.currentThread().getName()));
            if (batch.contains("bad")) {
                throw REJECTED;
            }
            log.add("wrote " + batch);
        }, clockNanos);
    }

    private Thread caller(GroupCommit<String> commits, String item) {
        Thread thread = new Thread(() -> {
            try {
                commits.commit(item, deadlines.getOrDefault(item, clock.get() + NO_DEADLINE));
                log.add("returned " + item);
            } catch (RuntimeException e) {
                failures.put(item, e);
            }
        }, "caller-" + item);
        thread.start();
        return thread;
    }

    /** Starts the first caller and returns once its write has begun and is held. */
    private Thread firstCallerHeldInItsWrite(GroupCommit<String> commits) throws InterruptedException {
        Thread first = caller(commits, "a");
        assertTrue(firstWriteStarted.await(10, TimeUnit.SECONDS));
        return first;
    }

    /** Starts a caller and returns once it waits in the queue. */
    private Thread queuedCaller(GroupCommit<String> commits, String item) throws InterruptedException {
        int before = commits.waiting();
        Thread thread = caller(commits, item);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // the queue is read under the commit's lock, which a caller holds until it waits for its turn
        while (commits.waiting() <= before) {
            assertTrue(System.nanoTime() < deadline, item + " never joined the queue");
            Thread.sleep(1);
        }
        return thread;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(10_000);
            assertFalse(thread.isAlive(), thread.getName() + " is stuck");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aCallerAloneWritesItsItemAtOnceInItsOwnThread() {
        firstWriteMayEnd.countDown();
        GroupCommit<String> commits = groupCommit(10, item -> 1);
        commits.commit("a", clock.get() + NO_DEADLINE);
        assertEquals(List.of(List.of("a")), batches);
        assertEquals(Thread.currentThread().getName(), writerThreads.get("a"));
    }

    @Test
    void callersArrivingDuringAWriteShareTheNextBatchAndReturnOnlyAfterIt() throws InterruptedException {
        GroupCommit<String> commits = groupCommit(10, item -> 1);
        List<Thread> threads = new ArrayList<>();
        threads.add(firstCallerHeldInItsWrite(commits));
        for (String item : List.of("b", "c", "d")) {
            threads.add(queuedCaller(commits, item));
        }
        assertEquals(List.of(), log, "nobody returns before its batch was written");
        firstWriteMayEnd.countDown();
        joinAll(threads);

        assertEquals(List.of(List.of("a"), List.of("b", "c", "d")), batches);
        assertEquals("caller-b", writerThreads.get("c"), "the oldest waiting caller writes the next batch");
        for (String item : List.of("b", "c", "d")) {
            assertTrue(log.indexOf("wrote [b, c, d]") < log.indexOf("returned " + item), log.toString());
        }
        assertEquals(Map.of(), failures);
    }

    @Test
    void aBatchTakesTheOldestCallersUpToTheMaximumWeight() throws InterruptedException {
        GroupCommit<String> commits = groupCommit(3, item -> 1);
        List<Thread> threads = new ArrayList<>();
        threads.add(firstCallerHeldInItsWrite(commits));
        for (String item : List.of("b", "c", "d", "e", "f")) {
            threads.add(queuedCaller(commits, item));
        }
        firstWriteMayEnd.countDown();
        joinAll(threads);

        assertEquals(List.of(List.of("a"), List.of("b", "c", "d"), List.of("e", "f")), batches);
        assertEquals(Map.of(), failures);
    }

    @Test
    void anItemHeavierThanTheMaximumIsABatchOfItsOwn() throws InterruptedException {
        GroupCommit<String> commits = groupCommit(3, String::length);
        List<Thread> threads = new ArrayList<>();
        threads.add(firstCallerHeldInItsWrite(commits));
        for (String item : List.of("bbbbb", "c", "dd", "e")) {
            threads.add(queuedCaller(commits, item));
        }
        firstWriteMayEnd.countDown();
        joinAll(threads);

        assertEquals(List.of(List.of("a"), List.of("bbbbb"), List.of("c", "dd"), List.of("e")), batches);
    }

    @Test
    void aFailedBatchFailsExactlyItsOwnCallers() throws InterruptedException {
        GroupCommit<String> commits = groupCommit(2, item -> 1);
        List<Thread> threads = new ArrayList<>();
        threads.add(firstCallerHeldInItsWrite(commits));
        for (String item : List.of("b", "bad", "c")) {
            threads.add(queuedCaller(commits, item));
        }
        firstWriteMayEnd.countDown();
        joinAll(threads);

        assertEquals(List.of(List.of("a"), List.of("b", "bad"), List.of("c")), batches);
        assertEquals(Set.of("b", "bad"), failures.keySet());
        for (Throwable failure : failures.values()) {
            assertTrue(failure instanceof StoreUnavailableException, failure.toString());
            assertSame(REJECTED, failure.getCause());
        }
        assertTrue(log.contains("returned a") && log.contains("returned c"), log.toString());
        assertFalse(log.contains("returned b") || log.contains("returned bad"), log.toString());
    }

    @Test
    void theCallerAloneGetsTheFailureOfItsBatchAndTheNextCallerStillWrites() {
        firstWriteMayEnd.countDown();
        GroupCommit<String> commits = groupCommit(10, item -> 1);
        StoreUnavailableException failure = assertThrows(StoreUnavailableException.class, () -> commits.commit("bad", clock.get() + NO_DEADLINE));
        assertSame(REJECTED, failure.getCause());
        commits.commit("b", clock.get() + NO_DEADLINE);
        assertEquals(List.of(List.of("bad"), List.of("b")), batches);
    }

    @Test
    void aCallerWhoseDeadlinePassesWhileQueuedFailsAtOnceAndIsNeverWritten() throws InterruptedException {
        GroupCommit<String> commits = groupCommit(10, item -> 1, System::nanoTime);
        clock.set(System.nanoTime());
        List<Thread> threads = new ArrayList<>();
        threads.add(firstCallerHeldInItsWrite(commits));
        deadlines.put("late", System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        Thread late = caller(commits, "late");
        late.join(10_000);
        assertFalse(late.isAlive(), "the late caller is answered while the write before it is still held");
        assertTrue(failures.get("late") instanceof StoreUnavailableException, failures.toString());
        threads.add(queuedCaller(commits, "b"));
        firstWriteMayEnd.countDown();
        joinAll(threads);

        assertEquals(List.of(List.of("a"), List.of("b")), batches, "the late item is in no batch");
        assertEquals(Set.of("late"), failures.keySet());
    }

    @Test
    void itemsFoundLateWhenABatchIsMadeFailUnwrittenAndTheOthersGoOn() throws InterruptedException {
        GroupCommit<String> commits = groupCommit(10, item -> 1);
        List<Thread> threads = new ArrayList<>();
        threads.add(firstCallerHeldInItsWrite(commits));
        deadlines.put("c", clock.get() + 1_000);
        deadlines.put("d", clock.get() + 5_000);
        for (String item : List.of("b", "c", "d", "e")) {
            threads.add(queuedCaller(commits, item));
        }
        clock.addAndGet(2_000);
        firstWriteMayEnd.countDown();
        joinAll(threads);

        assertEquals(List.of(List.of("a"), List.of("b", "d", "e")), batches);
        assertEquals(Set.of("c"), failures.keySet());
        assertEquals(clock.get() + 3_000, batchDeadlines.get(1), "the writer is told the batch's earliest deadline");
    }

    @Test
    void anItemAlreadyInABatchTakesTheBatchOutcomeHoweverLateItIs() throws InterruptedException {
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch secondMayEnd = new CountDownLatch(1);
        GroupCommit<String> commits = new GroupCommit<>(10, item -> 1, (batch, deadline) -> {
            batches.add(List.copyOf(batch));
            if (batch.contains("a")) {
                firstWriteStarted.countDown();
                awaitQuietly(firstWriteMayEnd);
            } else {
                secondStarted.countDown();
                awaitQuietly(secondMayEnd);
            }
        }, System::nanoTime);
        clock.set(System.nanoTime());
        List<Thread> threads = new ArrayList<>();
        threads.add(firstCallerHeldInItsWrite(commits));
        threads.add(queuedCaller(commits, "b"));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        deadlines.put("c", deadline);
        threads.add(queuedCaller(commits, "c"));
        firstWriteMayEnd.countDown();
        assertTrue(secondStarted.await(10, TimeUnit.SECONDS));
        while (System.nanoTime() - deadline < TimeUnit.MILLISECONDS.toNanos(50)) {
            Thread.sleep(5);
        }
        assertTrue(threads.get(2).isAlive(), "c waits for its batch past its deadline");
        secondMayEnd.countDown();
        joinAll(threads);

        assertEquals(List.of(List.of("a"), List.of("b", "c")), batches);
        assertEquals(Map.of(), failures, "an item whose batch was written is never reported as failed");
    }
}
