package io.pushcluster.engine.store.jpa;

import java.util.function.ToIntFunction;
import static io.pushcluster.engine.store.jpa.MessageRow.BODY_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.EXPIRES_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.GID_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.KEY_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.MID_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.TABLE;

import io.pushcluster.api.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The statements every push and every fetch run, in plain JDBC on the persistence unit's
 * data source: cheaper than going through the entity manager, and portable SQL only (H2, PostgreSQL,
 * MariaDB). The table and its columns are those of {@link MessageRow}; the purge's are in
 * {@link ExpiredRows}.
 */
final class MessageTable {

    /** Rows one trim deletes per key: one or a few in the steady state, more after the cap was lowered. */
    static final int MAX_TRIMMED_PER_KEY = 1000;

    private static final String INSERT = "INSERT INTO " + TABLE + " (" + KEY_COLUMN + ", " + MID_COLUMN + ", "
            + GID_COLUMN + ", " + BODY_COLUMN + ", " + EXPIRES_COLUMN + ") VALUES (?, ?, ?, ?, ?)";
    private static final String MIDS_NEWEST_FIRST = "SELECT " + MID_COLUMN + " FROM " + TABLE
            + " WHERE " + KEY_COLUMN + " = ? ORDER BY " + MID_COLUMN + " DESC";
    static final String DELETE_ROW = "DELETE FROM " + TABLE + " WHERE " + KEY_COLUMN + " = ? AND "
            + MID_COLUMN + " = ?";
    private static final String NEWEST_AFTER = "SELECT " + MID_COLUMN + ", " + GID_COLUMN + ", " + BODY_COLUMN
            + ", " + EXPIRES_COLUMN + " FROM " + TABLE + " WHERE " + KEY_COLUMN + " = ? AND " + MID_COLUMN
            + " > ? ORDER BY " + MID_COLUMN + " DESC";

    private MessageTable() {
    }

    /** One row to insert: a message for one key. */
    record Row(String key, StoredMessage message) {
    }

    /**
     * A connection that writes batches: in one local transaction each (autocommit off), through
     * statements prepared once. Used by one thread, the one that took the connection.
     */
    static final class Writer implements AutoCloseable {

        private static final Logger LOG = Logger.getLogger(Writer.class.getName());
        private static final int VALIDATION_SECONDS = 2;

        private final Connection connection;
        private final PreparedStatement insert;
        private PreparedStatement mids;
        private PreparedStatement delete;
        private int midsCap = -1;
        private int timeoutSeconds;
        private final boolean h2;

        Writer(Connection connection) throws SQLException {
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
                insert.setQueryTimeout(seconds);
                if (mids != null) {
                    mids.setQueryTimeout(seconds);
                    delete.setQueryTimeout(seconds);
                }
            }
            timeoutSeconds = seconds;
        }

        /** Inserts the rows in one JDBC batch. */
        void insert(List<Row> rows) throws SQLException {
            for (Row row : rows) {
                insert.setString(1, row.key());
                insert.setLong(2, row.message().mid());
                insert.setInt(3, row.message().gid());
                insert.setString(4, row.message().message());
                insert.setLong(5, row.message().expiresAtMillis());
                insert.addBatch();
            }
            insert.executeBatch();
        }

        /**
         * Deletes each key's rows beyond its newest {@code capOf(key)}: finds them through the primary key
         * (key, mid) and deletes exactly those (key, mid) pairs, so no range is locked and concurrent
         * writers of one key cannot deadlock each other (InnoDB). Keys are visited in order, so
         * concurrent trims lock rows in the same order. Rows a concurrent writer already deleted
         * simply match nothing.
         */
        void trim(SortedSet<String> keys, ToIntFunction<String> capOf) throws SQLException {
            if (keys.isEmpty()) {
                return;
            }
            if (mids == null) {
                mids = connection.prepareStatement(MIDS_NEWEST_FIRST);
                delete = connection.prepareStatement(DELETE_ROW);
                if (!h2) {
                    mids.setQueryTimeout(timeoutSeconds);
                    delete.setQueryTimeout(timeoutSeconds);
                }
            }
            int deletes = 0;
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
                        }
                    }
                }
            }
            if (deletes > 0) {
                delete.executeBatch();
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
            insert.clearBatch();
            if (delete != null) {
                delete.clearBatch();
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
            for (PreparedStatement statement : new PreparedStatement[] {insert, mids, delete}) {
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

    /**
     * The unexpired messages among the key's newest {@code cap} with a mid after {@code afterMid},
     * oldest first. Expiry is judged after the cap, so rows beyond the cap that no trim deleted yet
     * stay invisible, exactly as if they had been deleted.
     */
    static List<StoredMessage> newestAfter(Connection connection, String key, long afterMid, long nowMillis, int cap)
            throws SQLException {
        List<StoredMessage> messages = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(NEWEST_AFTER)) {
            // the newest cap rows after afterMid are exactly the rows after afterMid among the newest cap
            select.setMaxRows(cap);
            select.setString(1, key);
            select.setLong(2, afterMid);
            try (ResultSet found = select.executeQuery()) {
                while (found.next()) {
                    long expiresAt = found.getLong(4);
                    if (expiresAt > nowMillis) {
                        messages.add(new StoredMessage(found.getLong(1), found.getInt(2), found.getString(3), expiresAt));
                    }
                }
            }
        }
        Collections.reverse(messages);
        return messages;
    }
}
