package io.pushcluster.engine.store.jpa;

import static io.pushcluster.engine.store.jpa.MessageRow.BODY_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.EXPIRES_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.GID_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.KEY_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.MID_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.TABLE;

import io.pushcluster.api.StoredMessage;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The statements every push, every fetch and the purge run, in plain JDBC on the persistence unit's
 * data source: cheaper than going through the entity manager, and portable SQL only (H2, PostgreSQL,
 * MariaDB). The table and its columns are those of {@link MessageRow}.
 */
final class MessageTable {

    /** Rows one trim deletes per key: one or a few in the steady state, more after the cap was lowered. */
    static final int MAX_TRIMMED_PER_KEY = 1000;

    /** Rows one transaction of the purge reads (and at most deletes). */
    static final int PURGE_CHUNK = 1000;

    private static final String INSERT = "INSERT INTO " + TABLE + " (" + KEY_COLUMN + ", " + MID_COLUMN + ", "
            + GID_COLUMN + ", " + BODY_COLUMN + ", " + EXPIRES_COLUMN + ") VALUES (?, ?, ?, ?, ?)";
    private static final String MIDS_NEWEST_FIRST = "SELECT " + MID_COLUMN + " FROM " + TABLE
            + " WHERE " + KEY_COLUMN + " = ? ORDER BY " + MID_COLUMN + " DESC";
    private static final String DELETE_ROW = "DELETE FROM " + TABLE + " WHERE " + KEY_COLUMN + " = ? AND "
            + MID_COLUMN + " = ?";
    private static final String NEWEST_AFTER = "SELECT " + MID_COLUMN + ", " + GID_COLUMN + ", " + BODY_COLUMN
            + ", " + EXPIRES_COLUMN + " FROM " + TABLE + " WHERE " + KEY_COLUMN + " = ? AND " + MID_COLUMN
            + " > ? ORDER BY " + MID_COLUMN + " DESC";

    /** The index the purge finds expired rows through, where the table has it. */
    static final String EXPIRY_INDEX = "PUSH_MESSAGE_EXPIRY";

    private static final String CREATE_EXPIRY_INDEX = "CREATE INDEX " + EXPIRY_INDEX + " ON " + TABLE + " ("
            + EXPIRES_COLUMN + ")";
    // LIMIT is understood by H2, PostgreSQL and MariaDB alike; with the ORDER BY it tells the planner
    // that only a chunk's first rows in index order are wanted
    private static final String EXPIRED = "SELECT " + KEY_COLUMN + ", " + MID_COLUMN + ", " + EXPIRES_COLUMN
            + " FROM " + TABLE + " WHERE " + EXPIRES_COLUMN + " <= ? ORDER BY " + EXPIRES_COLUMN + " LIMIT ";
    private static final String WALK_COLUMNS = "SELECT " + KEY_COLUMN + ", " + MID_COLUMN + ", " + EXPIRES_COLUMN
            + " FROM " + TABLE;
    private static final String WALK_ORDER = " ORDER BY " + KEY_COLUMN + ", " + MID_COLUMN + " LIMIT ";
    private static final String WALK_FROM_START = WALK_COLUMNS + WALK_ORDER;
    private static final String WALK_REST_OF_KEY = WALK_COLUMNS + " WHERE " + KEY_COLUMN + " = ? AND " + MID_COLUMN
            + " > ?" + WALK_ORDER;
    private static final String WALK_AFTER_KEY = WALK_COLUMNS + " WHERE " + KEY_COLUMN + " > ?" + WALK_ORDER;

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
         * Deletes each key's rows beyond its newest {@code cap}: finds them through the primary key
         * (key, mid) and deletes exactly those (key, mid) pairs, so no range is locked and concurrent
         * writers of one key cannot deadlock each other (InnoDB). Keys are visited in order, so
         * concurrent trims lock rows in the same order. Rows a concurrent writer already deleted
         * simply match nothing.
         */
        void trim(SortedSet<String> keys, int cap) throws SQLException {
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
            if (midsCap != cap) {
                mids.setMaxRows(cap + MAX_TRIMMED_PER_KEY);
                midsCap = cap;
            }
            int deletes = 0;
            for (String key : keys) {
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

    /** Whether the table has an index whose first column is the expiry. */
    static boolean hasExpiryIndex(Connection connection) throws SQLException {
        DatabaseMetaData schema = connection.getMetaData();
        String table = schema.storesLowerCaseIdentifiers() ? TABLE.toLowerCase(Locale.ROOT) : TABLE;
        try (ResultSet columns = schema.getIndexInfo(null, null, table, false, true)) {
            while (columns.next()) {
                if (columns.getShort("ORDINAL_POSITION") == 1
                        && EXPIRES_COLUMN.equalsIgnoreCase(columns.getString("COLUMN_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Creates the index on the expiry (autocommit, as the connection comes). */
    static void createExpiryIndex(Connection connection) throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.execute(CREATE_EXPIRY_INDEX);
        }
    }

    /**
     * Deletes every row expired at {@code nowMillis}, finding them through the expiry index a chunk
     * of at most {@code chunk} rows at a time. See {@link #purge}.
     *
     * @return the rows deleted
     */
    static int purgeThroughExpiryIndex(Connection connection, long nowMillis, int chunk) throws SQLException {
        try (PreparedStatement expired = connection.prepareStatement(EXPIRED + chunk)) {
            expired.setLong(1, nowMillis);
            Cursor cursor = new Cursor();
            // every row found is gone after its chunk, deleted here or by a trim: each chunk progresses
            return purge(connection, delete -> cursor.queue(expired, delete, nowMillis) == chunk);
        }
    }

    /**
     * Deletes every row expired at {@code nowMillis}, walking the whole table along its primary key
     * a chunk of {@code chunk} rows at a time: for a table without the expiry index. Rows written
     * behind the walk wait for the next purge. See {@link #purge}.
     *
     * @return the rows deleted
     */
    static int purgeAlongPrimaryKey(Connection connection, long nowMillis, int chunk) throws SQLException {
        try (PreparedStatement fromStart = connection.prepareStatement(WALK_FROM_START + chunk);
                PreparedStatement restOfKey = connection.prepareStatement(WALK_REST_OF_KEY + chunk);
                PreparedStatement afterKey = connection.prepareStatement(WALK_AFTER_KEY + chunk)) {
            KeyWalk walk = new KeyWalk(fromStart, restOfKey, afterKey, chunk, nowMillis);
            return purge(connection, walk::next);
        }
    }

    /** Reads one chunk of the purge, queueing its expired rows on the delete; false after the last. */
    @FunctionalInterface
    private interface Chunk {
        boolean next(PreparedStatement delete) throws SQLException;
    }

    /** The last row a chunk read: (key, mid). */
    private static class Cursor {
        String key;
        long mid;

        /** Queues the expired rows the select finds (key, mid, expiry) on the delete; returns how many it read. */
        int queue(PreparedStatement select, PreparedStatement delete, long nowMillis) throws SQLException {
            int read = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    read++;
                    key = rows.getString(1);
                    mid = rows.getLong(2);
                    if (rows.getLong(3) <= nowMillis) {
                        delete.setString(1, key);
                        delete.setLong(2, mid);
                        delete.addBatch();
                    }
                }
            }
            return read;
        }
    }

    /** A walk along the primary key: after the cursor's (key, mid), and whether still inside that key. */
    private static final class KeyWalk extends Cursor {
        private final PreparedStatement fromStart;
        private final PreparedStatement restOfKey;
        private final PreparedStatement afterKey;
        private final int chunk;
        private final long nowMillis;
        /** Whether the last chunk was full, so that its last key may have rows after it. */
        private boolean withinKey;

        KeyWalk(PreparedStatement fromStart, PreparedStatement restOfKey, PreparedStatement afterKey, int chunk,
                long nowMillis) {
            this.fromStart = fromStart;
            this.restOfKey = restOfKey;
            this.afterKey = afterKey;
            this.chunk = chunk;
            this.nowMillis = nowMillis;
        }

        boolean next(PreparedStatement delete) throws SQLException {
            PreparedStatement walk;
            if (key == null) {
                walk = fromStart;
            } else if (withinKey) {
                walk = restOfKey;
                restOfKey.setString(1, key);
                restOfKey.setLong(2, mid);
            } else {
                walk = afterKey;
                afterKey.setString(1, key);
            }
            if (queue(walk, delete, nowMillis) == chunk) {
                withinKey = true;
                return true;
            }
            // a key's rest came short: the keys after it are next; otherwise the table is done
            boolean more = withinKey;
            withinKey = false;
            return more;
        }
    }

    /**
     * Runs the chunks, each read and its expired rows deleted in a short transaction of its own:
     * however many rows expired, no transaction holds more than a chunk's row locks, so the purge
     * never keeps a batch of saves (whose trims may delete the same rows) waiting long. Rows a trim
     * deleted meanwhile are simply not counted. Turns autocommit off while it runs and on again after.
     */
    private static int purge(Connection connection, Chunk chunks) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement delete = connection.prepareStatement(DELETE_ROW)) {
            int purged = 0;
            boolean more;
            do {
                more = chunks.next(delete);
                purged += deleted(delete.executeBatch());
                connection.commit();
            } while (more);
            connection.setAutoCommit(true);
            return purged;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException | RuntimeException ended) {
                e.addSuppressed(ended);
            }
            throw e;
        }
    }

    /** Rows a batch of single-row deletes deleted; a driver that does not count them counts as one each. */
    private static int deleted(int[] counts) {
        int deleted = 0;
        for (int count : counts) {
            if (count > 0) {
                deleted += count;
            } else if (count == Statement.SUCCESS_NO_INFO) {
                deleted++;
            }
        }
        return deleted;
    }
}
