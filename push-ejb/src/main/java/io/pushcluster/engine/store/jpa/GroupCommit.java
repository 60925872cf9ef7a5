package io.pushcluster.engine.store.jpa;

import io.pushcluster.engine.store.StoreUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.Iterator;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Coalesces the writes of concurrent callers into batches, each written (and committed) by one call
 * of the batch writer. There is no writer thread: a caller that finds no batch being written writes
 * its own at once, so a caller alone waits for nothing but its own write; callers that arrive
 * meanwhile queue, and when a batch is done the oldest of them writes the next batch, made of itself
 * and the queued callers behind it up to {@code maxBatchWeight}. One batch is written at a time.
 * Leader and followers rather than a committer thread taking every save: every save would pay a
 * hand-off to it and back even when alone, and its queue would need a bound of its own; here the
 * callers are the queue. (The batch writer may still hand a whole batch to a thread of its own, as
 * {@link GroupedSaves} does to keep its connection on one thread: one hand-off per batch.)
 *
 * <p>{@link #commit} returns only once the batch holding the item was written without an exception,
 * and throws for every item of a batch whose write threw: the writer is expected to commit a batch
 * whole or not at all. An item still queued when its deadline passes is never written: it fails at
 * once, so that a caller is answered in bounded time even behind a slow batch, and what it is told
 * (failed) stays true. The writer is told the earliest deadline of its batch. Every item waits in the thread of its own caller, so the number of waiting
 * items is bounded by the callers, and each caller writes at most one batch.
 *
 * @param <T> what is written
 */
final class GroupCommit<T> {

    private final int maxBatchWeight;
    private final ToIntFunction<T> weight;
    private final BiConsumer<List<T>, Long> writer;
    private final LongSupplier clockNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final ArrayDeque<Pending<T>> queue = new ArrayDeque<>();
    /** True from the moment a caller takes the lead until a batch ends with nobody queued behind it. */
    private boolean leading;

    /**
     * @param maxBatchWeight the most weight a batch takes, unless its first item alone weighs more
     * @param weight what one item adds to a batch (the rows it writes, say)
     * @param writer writes a batch in one transaction, throwing when the transaction did not commit;
     *               it is given the batch's earliest deadline (in {@code clockNanos} time), by which
     *               it should give up
     * @param clockNanos the clock deadlines are in
     */
    GroupCommit(int maxBatchWeight, ToIntFunction<T> weight, BiConsumer<List<T>, Long> writer, LongSupplier clockNanos) {
        if (maxBatchWeight < 1) {
            throw new IllegalArgumentException("maxBatchWeight must be positive");
        }
        this.maxBatchWeight = maxBatchWeight;
        this.weight = weight;
        this.writer = writer;
        this.clockNanos = clockNanos;
    }

    /** One caller's item and what became of it. */
    private static final class Pending<T> {
        final T item;
        final long deadlineNanos;
        boolean leads;
        /** In a batch being written: its outcome is the batch's, however late. */
        boolean taken;
        boolean done;
        Throwable failure;
        int batchSize;

        Pending(T item, long deadlineNanos) {
            this.item = item;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /**
     * Writes the item in a batch and returns once that batch was written.
     *
     * @param deadlineNanos when the item, if not yet taken into a batch, fails without being written
     * @throws StoreUnavailableException when the batch's write failed, with the writer's exception as
     *     its cause, or when the deadline passed before the item's batch began
     */
    void commit(T item, long deadlineNanos) {
        Pending<T> mine = new Pending<>(item, deadlineNanos);
        List<Pending<T>> batch;
        lock.lock();
        try {
            queue.addLast(mine);
            if (leading) {
                // waiting ends in bounded time: the current batch's writer promotes the oldest waiter
                if (!awaitTurn(mine)) {
                    queue.remove(mine);
                    throw late();
                }
                if (mine.done) {
                    outcome(mine);
                    return;
                }
            }
            batch = takeBatch();
            if (batch.isEmpty()) {
                // this caller's own item was late; the next queued one leads
                promoteNext();
                throw late();
            }
        } finally {
            lock.unlock();
        }
        long earliest = batch.get(0).deadlineNanos;
        for (Pending<T> pending : batch) {
            earliest = Math.min(earliest, pending.deadlineNanos);
        }
        Throwable failure = write(batch, earliest);
        lock.lock();
        try {
            for (Pending<T> pending : batch) {
                pending.done = true;
                pending.failure = failure;
                pending.batchSize = batch.size();
            }
            promoteNext();
        } finally {
            lock.unlock();
        }
        outcome(mine);
    }

    /** Items waiting for a batch now: those queued behind the batch being written. */
    int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: waits until the item is written or leads the next batch; false when its
     * deadline passed first. An interrupt does not end the wait (the item may be written meanwhile,
     * and that outcome is the caller's), but is kept.
     */
    private boolean awaitTurn(Pending<T> mine) {
        boolean interrupted = false;
        try {
            while (!mine.done && !mine.leads) {
                long left = mine.deadlineNanos - clockNanos.getAsLong();
                try {
                    if (mine.taken) {
                        progress.await();
                    } else if (left <= 0) {
                        return false;
                    } else {
                        progress.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Under the lock: the oldest waiter leads the next batch, or nobody leads. */
    private void promoteNext() {
        Pending<T> next = queue.peekFirst();
        if (next == null) {
            leading = false;
        } else {
            leading = true;
            next.leads = true;
        }
        progress.signalAll();
    }

    /**
     * Under the lock: the oldest queued items whose deadline has not passed, up to the weight limit
     * (the first always, whatever its weight); queued items found late fail now, unwritten. Empty
     * when the caller's own item, at the head, was late.
     */
    private List<Pending<T>> takeBatch() {
        leading = true;
        long now = clockNanos.getAsLong();
        List<Pending<T>> batch = new ArrayList<>();
        int total = 0;
        Pending<T> first = queue.pollFirst();
        if (first.deadlineNanos - now <= 0) {
            return batch;
        }
        first.taken = true;
        batch.add(first);
        total += weight.applyAsInt(first.item);
        Iterator<Pending<T>> waiting = queue.iterator();
        while (waiting.hasNext()) {
            Pending<T> next = waiting.next();
            if (next.deadlineNanos - now <= 0) {
                waiting.remove();
                next.done = true;
                next.failure = late();
                next.batchSize = 0;
                continue;
            }
            if (total + weight.applyAsInt(next.item) > maxBatchWeight) {
                break;
            }
            waiting.remove();
            total += weight.applyAsInt(next.item);
            next.taken = true;
            batch.add(next);
        }
        return batch;
    }

    private Throwable write(List<Pending<T>> batch, long earliestDeadlineNanos) {
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(pending -> items.add(pending.item));
        try {
            writer.accept(items, earliestDeadlineNanos);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    private static StoreUnavailableException late() {
        return new StoreUnavailableException("the store did not take the save in time; it was not written");
    }

    private static void outcome(Pending<?> pending) {
        if (pending.failure instanceof StoreUnavailableException late && pending.batchSize == 0) {
            throw late;
        }
        if (pending.failure != null) {
            throw new StoreUnavailableException("writing a batch of " + pending.batchSize + " failed", pending.failure);
        }
    }
}
