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

    private GroupCommit<String> groupCommit(int maxWeight, ToIntFunction<String> weight) {
        return new GroupCommit<>(maxWeight, weight, batch -> {
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
        });
    }

    private Thread caller(GroupCommit<String> commits, String item) {
        Thread thread = new Thread(() -> {
            try {
                commits.commit(item);
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
        Thread thread = caller(commits, item);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, item + " never waited");
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
        commits.commit("a");
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
        StoreUnavailableException failure = assertThrows(StoreUnavailableException.class, () -> commits.commit("bad"));
        assertSame(REJECTED, failure.getCause());
        commits.commit("b");
        assertEquals(List.of(List.of("bad"), List.of("b")), batches);
    }
}
