package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.StoreUnavailableException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.sql.Connection;
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
 * batches gather the saves of all the store's callers; it runs outside any JTA transaction, so the
 * connection's own commit is the one that counts.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
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

    @Inject
    PushSettings settings;

    private GroupCommit<List<MessageTable.Row>> batches;
    private TrimSchedule trims;

    @PostConstruct
    void start() {
        trims = new TrimSchedule(TRIM_EVERY, MAX_TRACKED_KEYS);
        batches = new GroupCommit<>(MAX_BATCH_ROWS, List::size, this::write);
    }

    /** Stores the message for every key, returning once it has committed. */
    public void save(List<String> keys, StoredMessage message) {
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
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                MessageTable.insert(connection, rows);
                MessageTable.trim(connection, due, settings.storeCap());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollBack(connection, e);
                throw e;
            }
            restoreAutoCommit(connection);
        }
    }

    /** After the commit: a connection that fails here is broken, which is the pool's concern, not the save's. */
    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "a connection failed after committing a batch of saves", e);
        }
    }

    /** Rolls back and gives the connection back to the pool as it came, keeping the first failure. */
    private static void rollBack(Connection connection, Exception failure) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
