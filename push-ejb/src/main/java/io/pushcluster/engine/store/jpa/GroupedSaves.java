package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.StoreUnavailableException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import javax.sql.DataSource;

/**
 * The saves of every caller of the JPA store, grouped: concurrent saves are written together by a
 * {@link GroupCommit}, in one local JDBC transaction per batch (an insert batch, then a trim of the
 * keys the {@link TrimSchedule} says are due) instead of one JTA transaction per push. A save returns
 * once its batch has committed and fails when it did not. One instance per application, since the
 * batches gather the saves of all the store's callers.
 *
 * <p>Each batch takes a connection from the pool and gives it back: a connection held across batches
 * would outlive the request that took it, and Payara resets such a connection (autocommit back on)
 * when that request ends. The connection is used outside any JTA transaction, so that its own commit
 * is the one that counts: a caller inside a transaction is refused (every entry point of this
 * application calls the store outside one; {@code PushService} is {@code NOT_SUPPORTED}). A plain
 * CDI bean rather than an EJB, for the cost of the EJB container per push (see
 * {@link JpaMessageStore}).
 */
@ApplicationScoped
public class GroupedSaves {

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

    @PostConstruct
    void start() {
        trims = new TrimSchedule(TRIM_EVERY, MAX_TRACKED_KEYS);
        batches = new GroupCommit<>(MAX_BATCH_ROWS, List::size, this::write);
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
        try (Connection connection = dataSource.getConnection();
                MessageTable.Writer writer = new MessageTable.Writer(connection)) {
            writer.insert(rows);
            writer.trim(due, settings.storeCap());
            writer.commit();
        } catch (SQLException e) {
            trims.failed(due);
            throw new StoreUnavailableException("storing " + rows.size() + " rows failed", e);
        } catch (RuntimeException e) {
            trims.failed(due);
            throw e;
        }
    }
}
