package io.pushcluster.engine.store.jpa;

import static io.pushcluster.engine.store.jpa.MessageTable.DELETE_ROW;
import static io.pushcluster.engine.store.jpa.MessageTable.INSERT;
import static io.pushcluster.engine.store.jpa.MessageTable.MAX_TRIMMED_PER_KEY;
import static io.pushcluster.engine.store.jpa.MessageTable.MIDS_NEWEST_FIRST;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A connection that writes batches: in one local transaction each (autocommit off), through
 * statements prepared once. Used by one thread, the one that took the connection.
 */
final class BatchWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchWriter.class.getName());
    private static final int VALIDATION_SECONDS = 2;

    private final Connection connection;
    private final PreparedStatement insert;
    private PreparedStatement mids;
    private PreparedStatement delete;
    private PreparedStatement insertBody;
    private PreparedStatement unref;
    private PreparedStatement deleteUnreferenced;
    private int midsCap = -1;
    private int timeoutSeconds;
    private final boolean h2;

    BatchWriter(Connection connection) throws SQLException {
        this.connection = connection;
        try {
            connection.setAutoCommit(false);
            h2 = "H2".equals(connection.getMetaData().getDatabaseProductName());
            insert = connection.prepareStatement(INSERT);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Limits how long each statement may wait, for this connection's batches from now on: a query
     * time-out in whole seconds, or on H2 (embedded, where only a lock can hold a statement up) the
     * session's lock time-out, since H2's query time-out costs about 5 % of the stored-push rate.
     */
    void timeout(int millis) throws SQLException {
        int seconds = (millis + 999) / 1000;
        if (seconds == timeoutSeconds) {
            return;
        }
        if (h2) {
            try (Statement set = connection.createStatement()) {
                set.execute("SET LOCK_TIMEOUT " + millis);
            }
        } else {
            for (PreparedStatement statement : statements()) {
                if (statement != null) {
                    statement.setQueryTimeout(seconds);
                }
            }
        }
        timeoutSeconds = seconds;
    }

    private PreparedStatement[] statements() {
        return new PreparedStatement[] {insert, mids, delete, insertBody, unref, deleteUnreferenced};
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        if (!h2) {
            statement.setQueryTimeout(timeoutSeconds);
        }
        return statement;
    }

    /** Inserts the shared bodies, then the rows, each in one JDBC batch. */
    void insert(Collection<SharedBodies.Body> bodies, List<MessageTable.Row> rows) throws SQLException {
        if (!bodies.isEmpty()) {
            if (insertBody == null) {
                insertBody = prepare(SharedBodies.INSERT);
            }
            SharedBodies.insert(insertBody, bodies);
        }
        for (MessageTable.Row row : rows) {
            insert.setString(1, row.key());
            insert.setLong(2, row.message().mid());
            insert.setInt(3, row.message().gid());
            insert.setString(4, row.bodyId() == 0 ? row.message().message() : "");
            insert.setLong(5, row.message().expiresAtMillis());
            if (row.bodyId() == 0) {
                insert.setNull(6, Types.BIGINT);
            } else {
                insert.setLong(6, row.bodyId());
            }
            insert.addBatch();
        }
        insert.executeBatch();
    }

    /**
     * Deletes each key's rows beyond its newest {@code capOf(key)}: finds them through the primary key
     * (key, mid) and deletes exactly those (key, mid) pairs, so no range is locked and concurrent
     * writers of one key cannot deadlock each other (InnoDB). Keys are visited in order, so
     * concurrent trims lock rows in the same order. Rows a concurrent writer already deleted
     * simply match nothing. The shared bodies the deleted rows referred to lose those references
     * last (see {@link SharedBodies#unref}).
     */
    void trim(SortedSet<String> keys, ToIntFunction<String> capOf) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        if (mids == null) {
            mids = prepare(MIDS_NEWEST_FIRST);
            delete = prepare(DELETE_ROW);
        }
        int deletes = 0;
        SortedMap<Long, Integer> unreferenced = new TreeMap<>();
        for (String key : keys) {
            int cap = capOf.applyAsInt(key);
            if (midsCap != cap) {
                mids.setMaxRows(cap + MAX_TRIMMED_PER_KEY);
                midsCap = cap;
            }
            mids.setString(1, key);
            try (ResultSet found = mids.executeQuery()) {
                for (int seen = 0; found.next(); seen++) {
                    if (seen >= cap) {
                        delete.setString(1, key);
                        delete.setLong(2, found.getLong(1));
                        delete.addBatch();
                        deletes++;
                        long bodyId = found.getLong(2);
                        if (!found.wasNull()) {
                            unreferenced.merge(bodyId, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        if (deletes > 0) {
            delete.executeBatch();
        }
        if (!unreferenced.isEmpty()) {
            if (unref == null) {
                unref = prepare(SharedBodies.UNREF);
                deleteUnreferenced = prepare(SharedBodies.DELETE_UNREFERENCED);
            }
            SharedBodies.unref(unref, deleteUnreferenced, unreferenced);
        }
    }

    Connection connection() {
        return connection;
    }

    void commit() throws SQLException {
        connection.commit();
    }

    /** Ends a failed batch: undoes what it wrote, keeping the connection for the next. */
    void rollback() throws SQLException {
        for (PreparedStatement statement : statements()) {
            if (statement != null) {
                statement.clearBatch();
            }
        }
        connection.rollback();
    }

    /**
     * Whether the connection is still as this writer left it (autocommit off). A container that
     * reset it behind the writer's back (Payara does so to a connection whose taking request has
     * ended) would have it commit statement by statement; such a connection is not used again.
     */
    boolean untouched() {
        try {
            return !connection.isClosed() && !connection.getAutoCommit();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the connection still answers (a failed batch may have been the connection's end). */
    boolean isValid() {
        try {
            return connection.isValid(VALIDATION_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Gives up a connection that stopped answering: aborts it, which tells the pool to destroy
     * it rather than hand it out again (Payara marks it for removal), then closes it. Never throws.
     */
    void discard() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "aborting a broken connection failed", e);
        }
        close();
    }

    /** Rolls back what was not committed and gives the connection back. Never throws. */
    @Override
    public void close() {
        for (PreparedStatement statement : statements()) {
            try {
                if (statement != null) {
                    statement.close();
                }
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "closing a statement failed", e);
            }
        }
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "rolling back a connection being closed failed", e);
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "closing a connection failed", e);
        }
    }
}
