package io.pushcluster.engine.store.jpa;

import io.pushcluster.engine.store.StoreUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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
 * whole or not at all. Every item waits in the thread of its own caller, so the number of waiting
 * items is bounded by the callers, and each caller writes at most one batch.
 *
 * @param <T> what is written
 */
final class GroupCommit<T> {

    private final int maxBatchWeight;
    private final ToIntFunction<T> weight;
    private final Consumer<List<T>> writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final ArrayDeque<Pending<T>> queue = new ArrayDeque<>();
    /** True from the moment a caller takes the lead until a batch ends with nobody queued behind it. */
    private boolean leading;

    /**
     * @param maxBatchWeight the most weight a batch takes, unless its first item alone weighs more
     * @param weight what one item adds to a batch (the rows it writes, say)
     * @param writer writes a batch in one transaction, throwing when the transaction did not commit
     */
    GroupCommit(int maxBatchWeight, ToIntFunction<T> weight, Consumer<List<T>> writer) {
        if (maxBatchWeight < 1) {
            throw new IllegalArgumentException("maxBatchWeight must be positive");
        }
        this.maxBatchWeight = maxBatchWeight;
        this.weight = weight;
        this.writer = writer;
    }

    /** One caller's item and what became of it. */
    private static final class Pending<T> {
        final T item;
        boolean leads;
        boolean done;
        Throwable failure;
        int batchSize;

        Pending(T item) {
            this.item = item;
        }
    }

    /**
     * Writes the item in a batch and returns once that batch was written.
     *
     * @throws StoreUnavailableException when the batch's write failed, with the writer's exception as its cause
     */
    void commit(T item) {
        Pending<T> mine = new Pending<>(item);
        List<Pending<T>> batch;
        lock.lock();
        try {
            queue.addLast(mine);
            if (leading) {
                // waiting ends in bounded time: the current batch's writer promotes the oldest waiter
                while (!mine.done && !mine.leads) {
                    progress.awaitUninterruptibly();
                }
                if (mine.done) {
                    outcome(mine);
                    return;
                }
            }
            leading = true;
            batch = takeBatch();
        } finally {
            lock.unlock();
        }
        Throwable failure = write(batch);
        lock.lock();
        try {
            for (Pending<T> pending : batch) {
                pending.done = true;
                pending.failure = failure;
                pending.batchSize = batch.size();
            }
            Pending<T> next = queue.peekFirst();
            if (next == null) {
                leading = false;
            } else {
                next.leads = true;
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        outcome(mine);
    }

    /** The oldest queued items up to the weight limit; the first one (the caller's own) always. */
    private List<Pending<T>> takeBatch() {
        List<Pending<T>> batch = new ArrayList<>();
        Pending<T> first = queue.pollFirst();
        batch.add(first);
        int total = weight.applyAsInt(first.item);
        while (!queue.isEmpty() && total + weight.applyAsInt(queue.peekFirst().item) <= maxBatchWeight) {
            Pending<T> next = queue.pollFirst();
            total += weight.applyAsInt(next.item);
            batch.add(next);
        }
        return batch;
    }

    private Throwable write(List<Pending<T>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(pending -> items.add(pending.item));
        try {
            writer.accept(items);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    private static void outcome(Pending<?> pending) {
        if (pending.failure != null) {
            throw new StoreUnavailableException("writing a batch of " + pending.batchSize + " failed", pending.failure);
        }
    }
}
