package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.StoreUnavailableException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The saves of every caller of the JPA store, grouped: concurrent saves are written together by a
 * {@link GroupCommit}, in one local JDBC transaction per batch (an insert batch, then a trim of the
 * keys the {@link TrimSchedule} says are due; a save for several keys writes its body once, in
 * {@link MessageBody}'s table, and a row per key referring to it) instead of one JTA transaction per push. A save returns
 * once its batch has committed and fails when it did not. One instance per application, since the
 * batches gather the saves of all the store's callers.
 *
 * <p>The batches are written by one thread of this bean's own (from the container's managed thread
 * factory), on one connection that thread takes at the first batch and keeps, with its prepared
 * statements: taking a connection from Payara's pool and preparing statements through its wrappers
 * per batch cost about a tenth of the server's CPU on stored pushes. The connection stays with that
 * thread because Payara resets a connection when the request that took it ends (autocommit back on),
 * so it cannot be kept by the callers' request threads; the thread's own context lasts as long as the
 * application. The batch's leader (see {@link GroupCommit}) hands the batch over and waits for it, so
 * one hand-off per batch is the whole price. After a failed batch the connection is rolled back and
 * kept when it still answers (a constraint, a deadlock), and aborted when it does not, which makes
 * Payara's pool destroy it; a batch that failed because a connection held from before had broken (a
 * database restart, an idle timeout) is written once more on a new one.
 *
 * <p>The writes happen outside any JTA transaction, so that the connection's own commit is the one
 * that counts; a caller inside a transaction is refused (every entry point of this application calls
 * the store outside one; {@code PushService} is {@code NOT_SUPPORTED}). A plain CDI bean rather than
 * an EJB, for the cost of the EJB container per push (see {@link JpaMessageStore}).
 */
@ApplicationScoped
public class GroupedSaves {

    private static final Logger LOG = Logger.getLogger(GroupedSaves.class.getName());

    /** Rows in one batch; a multi-key save with more keys is a batch of its own. */
    static final int MAX_BATCH_ROWS = 500;

    /** A key is trimmed once every this many saves of it. */
    static final int TRIM_EVERY = 8;

    /** Keys whose saves since their last trim are counted; about 100 bytes each. */
    static final int MAX_TRACKED_KEYS = 100_000;

    /** How long stopping waits for a batch being written. */
    private static final long STOP_WAIT_SECONDS = 5;

    /** The persistence unit's data source. */
    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    /** Tells whether a caller is in a JTA transaction; null outside a container (tests). */
    @Resource
    TransactionSynchronizationRegistry transactions;

    /** Makes the writing thread; null outside a container (tests), where a plain daemon thread does. */
    @Resource
    ManagedThreadFactory threads;

    @Inject
    PushSettings settings;

    private GroupCommit<List<MessageTable.Row>> batches;
    private TrimSchedule trims;
    /** The one thread that writes batches; a queue of two at most, since one leader hands over at a time. */
    private ThreadPoolExecutor writing;
    /** The connection batches are written on: touched by the writing thread only. */
    private BatchWriter held;

    @PostConstruct
    void start() {
        trims = new TrimSchedule(TRIM_EVERY, MAX_TRACKED_KEYS);
        batches = new GroupCommit<>(MAX_BATCH_ROWS, List::size, this::write, System::nanoTime);
        ThreadFactory factory = threads != null ? threads : task -> {
            Thread thread = new Thread(task, "push-store-writer");
            thread.setDaemon(true);
            return thread;
        };
        writing = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(2), factory);
    }

    /** Gives the held connection back to the pool and ends the writing thread. */
    @PreDestroy
    void stop() {
        try {
            writing.submit(this::close);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.FINE, "the writing thread was stopped already", e);
        }
        writing.shutdown();
        try {
            if (!writing.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                writing.shutdownNow();
            }
        } catch (InterruptedException e) {
            writing.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stores the message for every key, returning once it has committed.
     *
     * @throws IllegalStateException when called inside a JTA transaction
     */
    public void save(List<String> keys, StoredMessage message) {
        if (transactions != null && transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
            throw new IllegalStateException(
                    "the JPA store saves in transactions of its own: call it outside a JTA transaction");
        }
        List<MessageTable.Row> rows = new ArrayList<>(keys.size());
        // the keys of one save share one body: written once, each key's row referring to it
        long bodyId = keys.size() > 1 ? SharedBodies.newId() : 0;
        for (String key : keys) {
            rows.add(new MessageTable.Row(key, message, bodyId));
        }
        batches.commit(rows, System.nanoTime() + settings.storeTimeoutMillis() * 1_000_000L);
    }

    /**
     * Runs in the batch's leader: prepares the batch, has the writing thread write it, waits. A batch
     * that reaches the writing thread after its earliest deadline is not written at all; its
     * statements wait at most {@code push.store.timeout-ms} more.
     */
    private void write(List<List<MessageTable.Row>> saves, long deadlineNanos) {
        List<MessageTable.Row> rows = new ArrayList<>();
        saves.forEach(rows::addAll);
        // in one order on every node, so that concurrent batches lock rows in the same order
        rows.sort(Comparator.comparing(MessageTable.Row::key).thenComparingLong(row -> row.message().mid()));
        List<String> keys = new ArrayList<>(rows.size());
        rows.forEach(row -> keys.add(row.key()));
        Collection<SharedBodies.Body> bodies = SharedBodies.referredToBy(rows);
        // batches are written one at a time, so the schedule is only ever used by one thread
        SortedSet<String> due = trims.due(keys);
        try {
            onWritingThread(() -> {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new StoreUnavailableException("the store did not take the save in time; it was not written");
                }
                insertAndTrim(bodies, rows, due, settings.storeTimeoutMillis());
                return null;
            });
        } catch (SQLException e) {
            trims.failed(due);
            throw new StoreUnavailableException("storing " + rows.size() + " rows failed", e);
        } catch (RuntimeException e) {
            trims.failed(due);
            throw e;
        }
    }

    /**
     * Runs the work on the writing thread and waits for it, without giving up on an interrupt (the
     * work would go on regardless, so its outcome is the caller's); the interrupt is kept.
     */
    private <T> T onWritingThread(Callable<T> work) throws SQLException {
        Future<T> outcome;
        try {
            outcome = writing.submit(work);
        } catch (RejectedExecutionException e) {
            throw new StoreUnavailableException("the store is stopping", e);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return outcome.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new StoreUnavailableException("writing a batch failed", cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** On the writing thread. */
    private void insertAndTrim(Collection<SharedBodies.Body> bodies, List<MessageTable.Row> rows, SortedSet<String> due,
            int timeoutMillis)
            throws SQLException {
        boolean reused = held != null;
        BatchWriter writer = writer();
        try {
            writeOn(writer, bodies, rows, due, timeoutMillis);
        } catch (RuntimeException e) {
            endFailedBatch(writer);
            throw e;
        } catch (SQLException e) {
            if (endFailedBatch(writer) || !reused) {
                throw e;
            }
            LOG.log(Level.FINE, "the held connection broke; writing the batch again on a new one", e);
            BatchWriter fresh = writer();
            try {
                writeOn(fresh, bodies, rows, due, timeoutMillis);
            } catch (SQLException | RuntimeException again) {
                endFailedBatch(fresh);
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    private BatchWriter writer() throws SQLException {
        if (held != null && !held.untouched()) {
            LOG.warning("the store's connection was reset or closed by the container; taking a new one");
            held.close();
            held = null;
        }
        if (held == null) {
            held = new BatchWriter(dataSource.getConnection());
        }
        return held;
    }

    private void writeOn(BatchWriter writer, Collection<SharedBodies.Body> bodies, List<MessageTable.Row> rows,
            SortedSet<String> due, int timeoutMillis) throws SQLException {
        writer.timeout(timeoutMillis);
        writer.insert(bodies, rows);
        writer.trim(due, settings::storeCapOf);
        writer.commit();
    }

    /**
     * Rolls a failed batch back on a connection that still answers, and gives up one that does not.
     *
     * @return whether the connection was kept
     */
    private boolean endFailedBatch(BatchWriter writer) {
        if (writer.isValid()) {
            try {
                writer.rollback();
                return true;
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "rolling back a failed batch failed; giving up its connection", e);
            }
        }
        held = null;
        writer.discard();
        return false;
    }

    /** On the writing thread, when stopping. */
    private void close() {
        if (held != null) {
            held.close();
            held = null;
        }
    }

    /** The connection batches are written on, if one is held (for tests). */
    BatchWriter held() {
        try {
            return onWritingThread(() -> held);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
