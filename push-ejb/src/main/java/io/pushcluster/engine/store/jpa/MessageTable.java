package io.pushcluster.engine.store.jpa;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;

/**
 * The statements every push and every fetch run, in plain JDBC on the persistence unit's data
 * source: cheaper than going through the entity manager, and portable SQL only (H2, PostgreSQL,
 * MariaDB). The table and its columns are those of {@link MessageRow}.
 */
final class MessageTable {

    /** Rows one trim deletes per key: one or a few in the steady state, more after the cap was lowered. */
    static final int MAX_TRIMMED_PER_KEY = 1000;

    private static final String INSERT = "INSERT INTO " + TABLE + " (" + KEY_COLUMN + ", " + MID_COLUMN + ", "
            + GID_COLUMN + ", " + BODY_COLUMN + ", " + EXPIRES_COLUMN + ") VALUES (?, ?, ?, ?, ?)";
    private static final String MIDS_NEWEST_FIRST = "SELECT " + MID_COLUMN + " FROM " + TABLE
            + " WHERE " + KEY_COLUMN + " = ? ORDER BY " + MID_COLUMN + " DESC";
    private static final String DELETE_ROW = "DELETE FROM " + TABLE + " WHERE " + KEY_COLUMN + " = ? AND "
            + MID_COLUMN + " = ?";
    private static final String NEWEST_AFTER = "SELECT " + MID_COLUMN + ", " + GID_COLUMN + ", " + BODY_COLUMN
            + ", " + EXPIRES_COLUMN + " FROM " + TABLE + " WHERE " + KEY_COLUMN + " = ? AND " + MID_COLUMN
            + " > ? ORDER BY " + MID_COLUMN + " DESC";

    private MessageTable() {
    }

    /** One row to insert: a message for one key. */
    record Row(String key, StoredMessage message) {
    }

    /** Inserts the rows in one JDBC batch. */
    static void insert(Connection connection, List<Row> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
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
    }

    /**
     * Deletes each key's rows beyond its newest {@code cap}: finds them through the (key, mid) index
     * and deletes exactly those (key, mid) pairs, so no range is locked and concurrent writers of one
     * key cannot deadlock each other (InnoDB). Keys are visited in order, so concurrent trims lock
     * rows in the same order. Rows a concurrent writer already deleted simply match nothing.
     */
    static void trim(Connection connection, SortedSet<String> keys, int cap) throws SQLException {
        List<String> deleteKeys = new ArrayList<>();
        List<Long> deleteMids = new ArrayList<>();
        try (PreparedStatement mids = connection.prepareStatement(MIDS_NEWEST_FIRST)) {
            mids.setMaxRows(cap + MAX_TRIMMED_PER_KEY);
            for (String key : keys) {
                mids.setString(1, key);
                try (ResultSet found = mids.executeQuery()) {
                    for (int seen = 0; found.next(); seen++) {
                        if (seen >= cap) {
                            deleteKeys.add(key);
                            deleteMids.add(found.getLong(1));
                        }
                    }
                }
            }
        }
        if (deleteKeys.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE_ROW)) {
            for (int i = 0; i < deleteKeys.size(); i++) {
                delete.setString(1, deleteKeys.get(i));
                delete.setLong(2, deleteMids.get(i));
                delete.addBatch();
            }
            delete.executeBatch();
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
