package io.pushcluster.engine.store.jpa;

import static io.pushcluster.engine.store.jpa.MessageBody.BODY_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageBody.EXPIRES_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageBody.ID_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageBody.REFS_COLUMN;
import static io.pushcluster.engine.store.jpa.MessageBody.TABLE;

import io.pushcluster.api.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The statements on {@link MessageBody}'s table, in plain JDBC like {@link MessageTable}: bodies are
 * inserted in the batch that inserts the rows referring to them, their count of references lowered
 * in the batch whose trim deletes such rows (and the body deleted at zero), read by id after a
 * key's rows, and purged once expired.
 */
final class SharedBodies {

    /** Ids one read asks for at once. */
    private static final int READ_CHUNK = 100;

    static final String INSERT = "INSERT INTO " + TABLE + " (" + ID_COLUMN + ", " + BODY_COLUMN + ", "
            + EXPIRES_COLUMN + ", " + REFS_COLUMN + ") VALUES (?, ?, ?, ?)";
    static final String UNREF = "UPDATE " + TABLE + " SET " + REFS_COLUMN + " = " + REFS_COLUMN + " - ? WHERE "
            + ID_COLUMN + " = ?";
    static final String DELETE_UNREFERENCED = "DELETE FROM " + TABLE + " WHERE " + ID_COLUMN + " = ? AND "
            + REFS_COLUMN + " <= 0";
    static final String PURGE = "DELETE FROM " + TABLE + " WHERE " + EXPIRES_COLUMN + " <= ? OR " + REFS_COLUMN
            + " <= 0";
    private static final String READ = "SELECT " + ID_COLUMN + ", " + BODY_COLUMN + " FROM " + TABLE + " WHERE "
            + ID_COLUMN + " IN (";

    private SharedBodies() {
    }

    /** A body to insert: the message and how many rows of the batch refer to it. */
    record Body(long id, StoredMessage message, int refs) {
    }

    /** The bodies the rows refer to, in id order, each with the number of rows referring to it. */
    static Collection<Body> referredToBy(List<MessageTable.Row> rows) {
        SortedMap<Long, Body> bodies = new TreeMap<>();
        for (MessageTable.Row row : rows) {
            if (row.bodyId() != 0) {
                bodies.merge(row.bodyId(), new Body(row.bodyId(), row.message(), 1),
                        (body, one) -> new Body(body.id(), body.message(), body.refs() + 1));
            }
        }
        return bodies.values();
    }

    /**
     * A new body id: random, so that members need not agree on ids (mids are unique per key, not
     * across members). Two equal ids would fail the batch on the primary key, never mix two bodies.
     */
    static long newId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    /** Inserts the bodies in one JDBC batch on the writer's statement. */
    static void insert(PreparedStatement insert, Collection<Body> bodies) throws SQLException {
        for (Body body : bodies) {
            insert.setLong(1, body.id());
            insert.setString(2, body.message().message());
            insert.setLong(3, body.message().expiresAtMillis());
            insert.setInt(4, body.refs());
            insert.addBatch();
        }
        insert.executeBatch();
    }

    /**
     * Lowers each body's count by the rows deleted that referred to it, in id order (so concurrent
     * batches lock bodies in one order, after every row they lock), then deletes those left at zero.
     */
    static void unref(PreparedStatement unref, PreparedStatement deleteUnreferenced, SortedMap<Long, Integer> deleted)
            throws SQLException {
        if (deleted.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, Integer> body : deleted.entrySet()) {
            unref.setInt(1, body.getValue());
            unref.setLong(2, body.getKey());
            unref.addBatch();
            deleteUnreferenced.setLong(1, body.getKey());
            deleteUnreferenced.addBatch();
        }
        unref.executeBatch();
        deleteUnreferenced.executeBatch();
    }

    /** The bodies with these ids that are still there, by id. */
    static Map<Long, String> read(Connection connection, Collection<Long> ids) throws SQLException {
        Map<Long, String> bodies = new HashMap<>();
        Iterator<Long> next = ids.iterator();
        while (next.hasNext()) {
            List<Long> chunk = new ArrayList<>(READ_CHUNK);
            while (next.hasNext() && chunk.size() < READ_CHUNK) {
                chunk.add(next.next());
            }
            String sql = READ + "?" + ", ?".repeat(chunk.size() - 1) + ")";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet found = select.executeQuery()) {
                    while (found.next()) {
                        bodies.put(found.getLong(1), found.getString(2));
                    }
                }
            }
        }
        return bodies;
    }

    /**
     * Deletes the bodies expired at {@code nowMillis} (the rows that refer to one expire with it) and
     * any left without references, in autocommit; returns how many.
     */
    static int purge(Connection connection, long nowMillis) throws SQLException {
        try (PreparedStatement purge = connection.prepareStatement(PURGE)) {
            purge.setLong(1, nowMillis);
            return purge.executeUpdate();
        }
    }
}
