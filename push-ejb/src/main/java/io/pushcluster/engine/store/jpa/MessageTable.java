package io.pushcluster.engine.store.jpa;

import static io.pushcluster.engine.store.jpa.MessageRow.BODY_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageRow.BODY_ID_COLUMN;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The statements every push and every fetch run, in plain JDBC on the persistence unit's
 * data source: cheaper than going through the entity manager, and portable SQL only (H2, PostgreSQL,
 * MariaDB). The table and its columns are those of {@link MessageRow}; batches are written by a
 * {@link BatchWriter}, shared bodies through {@link SharedBodies}, the purge's statements are in
 * {@link ExpiredRows}.
 */
final class MessageTable {

    /** Rows one trim deletes per key: one or a few in the steady state, more after the cap was lowered. */
    static final int MAX_TRIMMED_PER_KEY = 1000;

    static final String INSERT = "INSERT INTO " + TABLE + " (" + KEY_COLUMN + ", " + MID_COLUMN + ", "
            + GID_COLUMN + ", " + BODY_COLUMN + ", " + EXPIRES_COLUMN + ", " + BODY_ID_COLUMN
            + ") VALUES (?, ?, ?, ?, ?, ?)";
    static final String MIDS_NEWEST_FIRST = "SELECT " + MID_COLUMN + ", " + BODY_ID_COLUMN + " FROM " + TABLE
            + " WHERE " + KEY_COLUMN + " = ? ORDER BY " + MID_COLUMN + " DESC";
    static final String DELETE_ROW = "DELETE FROM " + TABLE + " WHERE " + KEY_COLUMN + " = ? AND "
            + MID_COLUMN + " = ?";
    private static final String NEWEST_AFTER = "SELECT " + MID_COLUMN + ", " + GID_COLUMN + ", " + BODY_COLUMN
            + ", " + EXPIRES_COLUMN + ", " + BODY_ID_COLUMN + " FROM " + TABLE + " WHERE " + KEY_COLUMN + " = ? AND "
            + MID_COLUMN
            + " > ? ORDER BY " + MID_COLUMN + " DESC";

    private MessageTable() {
    }

    /**
     * One row to insert: a message for one key, holding its body itself ({@code bodyId} 0) or
     * referring to a {@link MessageBody} the same batch inserts.
     */
    record Row(String key, StoredMessage message, long bodyId) {

        Row(String key, StoredMessage message) {
            this(key, message, 0);
        }
    }

    /**
     * The unexpired messages among the key's newest {@code cap} with a mid after {@code afterMid},
     * oldest first. Expiry is judged after the cap, so rows beyond the cap that no trim deleted yet
     * stay invisible, exactly as if they had been deleted. Rows that refer to a shared body get it
     * in one more select; a row whose body is gone (expired and purged) is skipped.
     */
    static List<StoredMessage> newestAfter(Connection connection, String key, long afterMid, long nowMillis, int cap)
            throws SQLException {
        List<StoredMessage> messages = new ArrayList<>();
        Map<Integer, Long> references = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement(NEWEST_AFTER)) {
            // the newest cap rows after afterMid are exactly the rows after afterMid among the newest cap
            select.setMaxRows(cap);
            select.setString(1, key);
            select.setLong(2, afterMid);
            try (ResultSet found = select.executeQuery()) {
                while (found.next()) {
                    long expiresAt = found.getLong(4);
                    if (expiresAt > nowMillis) {
                        long bodyId = found.getLong(5);
                        if (!found.wasNull()) {
                            references.put(messages.size(), bodyId);
                        }
                        messages.add(new StoredMessage(found.getLong(1), found.getInt(2), found.getString(3), expiresAt));
                    }
                }
            }
        }
        if (!references.isEmpty()) {
            withBodies(connection, messages, references);
        }
        Collections.reverse(messages);
        return messages;
    }

    /** Puts each referring row's shared body in its place, dropping the rows whose body is gone. */
    private static void withBodies(Connection connection, List<StoredMessage> messages, Map<Integer, Long> references)
            throws SQLException {
        Map<Long, String> bodies = SharedBodies.read(connection, new HashSet<>(references.values()));
        for (Map.Entry<Integer, Long> reference : references.entrySet()) {
            StoredMessage row = messages.get(reference.getKey());
            String body = bodies.get(reference.getValue());
            messages.set(reference.getKey(),
                    body == null ? null : new StoredMessage(row.mid(), row.gid(), body, row.expiresAtMillis()));
        }
        messages.removeIf(Objects::isNull);
    }
}
