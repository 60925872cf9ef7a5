package io.pushcluster.engine.store.jpa;

import static io.pushcluster.engine.store.jpa.MessageRow.EXPIRES_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.KEY_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.MID_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.TABLE;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The purge of expired rows, in plain JDBC like {@link MessageTable}: through an index on the expiry
 * where the table has one (created at start when the store may), else along the primary key; in
 * chunks, each in a short transaction of its own.
 */
final class ExpiredRows {

    /** Rows one transaction of the purge reads (and at most deletes). */
    static final int PURGE_CHUNK = 1000;

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

    private ExpiredRows() {
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
     * of at most {@code chunk} rows at a time. See {@link #purgeChunks}.
     *
     * @return the rows deleted
     */
    static int purgeThroughExpiryIndex(Connection connection, long nowMillis, int chunk) throws SQLException {
        try (PreparedStatement expired = connection.prepareStatement(EXPIRED + chunk)) {
            expired.setLong(1, nowMillis);
            Cursor cursor = new Cursor();
            // every row found is gone after its chunk, deleted here or by a trim: each chunk progresses
            return purgeChunks(connection, delete -> cursor.queue(expired, delete, nowMillis) == chunk);
        }
    }

    /**
     * Deletes every row expired at {@code nowMillis}, walking the whole table along its primary key
     * a chunk of {@code chunk} rows at a time: for a table without the expiry index. Rows written
     * behind the walk wait for the next purge. See {@link #purgeChunks}.
     *
     * @return the rows deleted
     */
    static int purgeAlongPrimaryKey(Connection connection, long nowMillis, int chunk) throws SQLException {
        try (PreparedStatement fromStart = connection.prepareStatement(WALK_FROM_START + chunk);
                PreparedStatement restOfKey = connection.prepareStatement(WALK_REST_OF_KEY + chunk);
                PreparedStatement afterKey = connection.prepareStatement(WALK_AFTER_KEY + chunk)) {
            KeyWalk walk = new KeyWalk(fromStart, restOfKey, afterKey, chunk, nowMillis);
            return purgeChunks(connection, walk::next);
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
    private static int purgeChunks(Connection connection, Chunk chunks) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement delete = connection.prepareStatement(MessageTable.DELETE_ROW)) {
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
