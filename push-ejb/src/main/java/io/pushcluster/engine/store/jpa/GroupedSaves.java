package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.StoreUnavailableException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The saves of every caller of the JPA store, grouped: concurrent saves are written together by a
 * {@link GroupCommit}, in one local JDBC transaction per batch (an insert batch, then a trim of the
 * keys the {@link TrimSchedule} says are due) instead of one JTA transaction per push. A save returns
 * once its batch has committed and fails when it did not. One instance per application, since the
 * batches gather the saves of all the store's callers.
 *
 * <p>Batches are written one at a time, so they share one connection, held from the first batch on
 * with its prepared statements: taking a connection from Payara's pool and preparing statements
 * through its wrappers cost more than a small batch's own work. After a failed batch the connection
 * is rolled back and kept when it still answers (a constraint, a deadlock), and closed when it does
 * not; a batch that failed because a connection held from before had broken (a database restart, an
 * idle timeout) is written once more on a new one.
 *
 * <p>The connection is used outside any JTA transaction, so that its own commit is the one that
 * counts: a caller inside a transaction is refused (every entry point of this application calls the
 * store outside one; {@code PushService} is {@code NOT_SUPPORTED}). A plain CDI bean rather than an
 * EJB, for the cost of the EJB container per push (see {@link JpaMessageStore}).
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

    /** The persistence unit's data source. */
    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    /** Tells whether a caller is in a JTA transaction; null outside a container (tests). */
    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    PushSettings settings;

    private GroupCommit<List<MessageTable.Row>> batches;
    private TrimSchedule trims;
    /** Guards {@link #held} and {@link #stopped}; the batch itself is written outside it. */
    private final Object connectionLock = new Object();
    /** The connection batches are written on; only the thread writing a batch uses it. */
    private MessageTable.Writer held;
    private boolean stopped;

    @PostConstruct
    void start() {
        trims = new TrimSchedule(TRIM_EVERY, MAX_TRACKED_KEYS);
        batches = new GroupCommit<>(MAX_BATCH_ROWS, List::size, this::write);
    }

    /** Gives the held connection back to the pool when the application stops. */
    @PreDestroy
    void stop() {
        synchronized (connectionLock) {
            stopped = true;
            if (held != null) {
                held.close();
                held = null;
            }
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
        for (String key : keys) {
            rows.add(new MessageTable.Row(key, message));
        }
        batches.commit(rows);
    }

    private void write(List<List<MessageTable.Row>> saves) {
        List<MessageTable.Row> rows = new ArrayList<>();
        saves.forEach(rows::addAll);
        // in one order on every node, so that concurrent batches lock rows in the same order
        rows.sort(Comparator.comparing(MessageTable.Row::key).thenComparingLong(row -> row.message().mid()));
        List<String> keys = new ArrayList<>(rows.size());
        rows.forEach(row -> keys.add(row.key()));
        // batches are written one at a time, so the schedule is only ever used by one thread
        SortedSet<String> due = trims.due(keys);
        try {
            insertAndTrim(rows, due);
        } catch (SQLException e) {
            trims.failed(due);
            throw new StoreUnavailableException("storing " + rows.size() + " rows failed", e);
        } catch (RuntimeException e) {
            trims.failed(due);
            throw e;
        }
    }

    private void insertAndTrim(List<MessageTable.Row> rows, SortedSet<String> due) throws SQLException {
        MessageTable.Writer writer;
        boolean reused;
        synchronized (connectionLock) {
            reused = held != null;
            writer = writer();
        }
        try {
            writeOn(writer, rows, due);
        } catch (RuntimeException e) {
            endFailedBatch(writer);
            throw e;
        } catch (SQLException e) {
            if (endFailedBatch(writer) || !reused) {
                throw e;
            }
            LOG.log(Level.FINE, "the held connection broke; writing the batch again on a new one", e);
            MessageTable.Writer fresh = writer();
            try {
                writeOn(fresh, rows, due);
            } catch (SQLException | RuntimeException again) {
                endFailedBatch(fresh);
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    /**
     * Rolls a failed batch back on a connection that still answers, and drops one that does not.
     *
     * @return whether the connection was kept
     */
    private boolean endFailedBatch(MessageTable.Writer writer) {
        if (writer != null && writer.isValid()) {
            try {
                writer.rollback();
                return true;
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "rolling back a failed batch failed; dropping its connection", e);
            }
        }
        discard(writer);
        return false;
    }

    private MessageTable.Writer writer() throws SQLException {
        synchronized (connectionLock) {
            if (stopped) {
                throw new SQLException("the application is stopping");
            }
            if (held == null) {
                held = new MessageTable.Writer(dataSource.getConnection());
            }
            return held;
        }
    }

    private void writeOn(MessageTable.Writer writer, List<MessageTable.Row> rows, SortedSet<String> due)
            throws SQLException {
        writer.insert(rows);
        writer.trim(due, settings.storeCap());
        writer.commit();
    }

    /** The connection batches are written on, if one is held (for tests). */
    MessageTable.Writer held() {
        synchronized (connectionLock) {
            return held;
        }
    }

    /** Gives up a connection that broke, so that the next batch takes a new one. */
    private void discard(MessageTable.Writer writer) {
        synchronized (connectionLock) {
            if (held == writer) {
                held = null;
            }
        }
        if (writer != null) {
            writer.discard();
        }
    }
}
