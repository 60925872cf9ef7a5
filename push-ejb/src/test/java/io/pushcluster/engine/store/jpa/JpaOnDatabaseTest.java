package io.pushcluster.engine.store.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.MessageStoreContract;
import io.pushcluster.engine.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The store contract on the JPA store over the database a subclass starts, and what only the JPA
 * store promises: how far storage may exceed the cap, and that a save is stored whole or not at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JpaOnDatabaseTest extends MessageStoreContract {

    private EmbeddedDatabase database;
    private final Map<Integer, LocalTransactionStore> stores = new HashMap<>();
    private final Map<List<Integer>, LocalTransactionStore> publicStores = new HashMap<>();

    protected abstract EmbeddedDatabase startDatabase();

    /** Whether the store made the table itself, in the current layout. */
    protected boolean tableInCurrentLayout() {
        return true;
    }

    @BeforeAll
    void start() {
        database = startDatabase();
    }

    @Override
    protected MessageStore newStore(int cap, int publicCap) {
        return publicCap == cap ? stores.computeIfAbsent(cap, database::store).emptied()
                : publicStores.computeIfAbsent(List.of(cap, publicCap), caps -> database.store(cap, publicCap)).emptied();
    }

    @Override
    protected long copiesHeld(String body) {
        long copies = 0;
        try (Connection connection = database.connect();
                Statement select = connection.createStatement()) {
            for (String table : List.of(MessageRow.TABLE, MessageBody.TABLE)) {
                try (ResultSet bodies = select.executeQuery("SELECT BODY FROM " + table)) {
                    while (bodies.next()) {
                        copies += body.equals(bodies.getString(1)) ? 1 : 0;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return copies;
    }

    @Test
    void aMessageForSeveralKeysIsOneBodyRowCountingTheRowsThatReferToIt() throws Exception {
        LocalTransactionStore store = stores.computeIfAbsent(20, database::store).emptied();
        store.saveForKeys(List.of("a", "b", "c"), message(MID + 1));
        store.save("a", message(MID + 2));
        try (Connection connection = database.connect();
                Statement select = connection.createStatement()) {
            try (ResultSet bodies = select.executeQuery("SELECT BODY_ID, BODY, REFS FROM " + MessageBody.TABLE)) {
                assertTrue(bodies.next());
                long id = bodies.getLong(1);
                assertEquals(message(MID + 1).message(), bodies.getString(2));
                assertEquals(3, bodies.getInt(3));
                assertFalse(bodies.next(), "one body");
                try (ResultSet rows = select.executeQuery("SELECT MSG_KEY, BODY, BODY_ID FROM " + MessageRow.TABLE
                        + " ORDER BY MSG_KEY, MID")) {
                    for (String key : List.of("a", "a", "b", "c")) {
                        assertTrue(rows.next());
                        assertEquals(key, rows.getString(1));
                        boolean own = rows.getRow() == 2;
                        assertEquals(own ? message(MID + 2).message() : "", rows.getString(2));
                        rows.getLong(3);
                        assertEquals(own, rows.wasNull(), "row " + rows.getRow());
                        if (!own) {
                            assertEquals(id, rows.getLong(3));
                        }
                    }
                }
            }
        }
    }

    @Test
    void storageStaysWithinTheCapPlusTheSavesBetweenTwoTrims() {
        LocalTransactionStore store = stores.computeIfAbsent(3, database::store).emptied();
        long bound = 3 + GroupedSaves.TRIM_EVERY - 1;
        for (long i = 1; i <= 100; i++) {
            store.save("k", message(MID + i));
            assertTrue(store.storedRows("k") <= bound, "after save " + i + ": " + store.storedRows("k") + " rows");
        }
        assertEquals(List.of(MID + 98, MID + 99, MID + 100), mids(store.messagesAfter("k", 0, NOW)));
    }

    @Test
    void aSaveThatCannotBeStoredForOneKeyIsStoredForNone() {
        MessageStore store = newStore(20);
        store.save("b", message(MID + 1));
        // (b, MID + 1) exists already, so the second row violates the primary key
        assertThrows(StoreUnavailableException.class, () -> store.saveForKeys(List.of("a", "b"), message(MID + 1)));
        assertEquals(List.of(), store.messagesAfter("a", 0, NOW));
        store.saveForKeys(List.of("a", "b"), message(MID + 2));
        assertEquals(List.of(MID + 2), mids(store.messagesAfter("a", 0, NOW)));
        assertEquals(List.of(MID + 1, MID + 2), mids(store.messagesAfter("b", 0, NOW)));
    }

    /**
     * Another transaction holds the lock on the row a save needs: the save fails within the store's
     * time-out (and what JDBC's whole seconds add), and once the lock is gone the row is not there,
     * so a push answered as failed was not stored after all. Saves behind it are not held longer.
     */
    @Test
    void aSaveBlockedByAnotherTransactionsLockFailsInBoundedTimeAndIsNeverStored() throws Exception {
        LocalTransactionStore store = stores.computeIfAbsent(20, database::store).emptied();
        store.save("k", message(MID + 1));
        try (Connection blocker = database.connect()) {
            blocker.setAutoCommit(false);
            try (var insert = blocker.prepareStatement("INSERT INTO " + MessageRow.TABLE
                    + " (" + MessageRow.KEY_COLUMN + ", " + MessageRow.MID_COLUMN + ", " + MessageRow.GID_COLUMN + ", "
                    + MessageRow.BODY_COLUMN + ", " + MessageRow.EXPIRES_COLUMN + ") VALUES ('k', ?, 0, '{}', ?)")) {
                insert.setLong(1, MID + 2);
                insert.setLong(2, NOW + 3_600_000);
                insert.executeUpdate();
            }
            long start = System.nanoTime();
            java.util.concurrent.CompletableFuture<Void> behind = new java.util.concurrent.CompletableFuture<>();
            Thread queued = new Thread(() -> {
                try {
                    store.save("j", message(MID + 3));
                    behind.complete(null);
                } catch (RuntimeException e) {
                    behind.completeExceptionally(e);
                }
            });
            assertThrows(StoreUnavailableException.class, () -> {
                queued.start();
                store.save("k", message(MID + 2));
            });
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < LocalTransactionStore.TIMEOUT_MILLIS + 2_500, "failed after " + tookMillis + " ms");
            queued.join(10_000);
            assertTrue(behind.isDone(), "the save queued behind it was answered too");
            blocker.rollback();
        }
        assertEquals(List.of(MID + 1), mids(store.messagesAfter("k", 0, NOW)),
                "the save answered as failed is not stored once the lock is gone");
        store.save("k", message(MID + 4));
        assertEquals(List.of(MID + 1, MID + 4), mids(store.messagesAfter("k", 0, NOW)));
    }

    @Test
    void aSaveAfterTheHeldConnectionBrokeIsStoredOnANewConnection() throws Exception {
        LocalTransactionStore store = stores.computeIfAbsent(20, database::store).emptied();
        store.save("k", message(MID + 1));
        Object broken = store.heldConnection();
        assertTrue(store.breakHeldConnection(), "the first save holds a connection");
        store.save("k", message(MID + 2));
        store.saveForKeys(List.of("k", "j"), message(MID + 3));
        assertNotSame(broken, store.heldConnection());
        assertEquals(List.of(MID + 1, MID + 2, MID + 3), mids(store.messagesAfter("k", 0, NOW)));
        assertEquals(List.of(MID + 3), mids(store.messagesAfter("j", 0, NOW)));
    }

    @Test
    void aBatchThatFailsOnAWorkingConnectionIsRolledBackAndTheConnectionKept() {
        LocalTransactionStore store = stores.computeIfAbsent(20, database::store).emptied();
        store.save("k", message(MID + 1));
        Object connection = store.heldConnection();
        assertThrows(StoreUnavailableException.class, () -> store.saveForKeys(List.of("j", "k"), message(MID + 1)));
        store.save("j", message(MID + 2));
        assertSame(connection, store.heldConnection());
        // nothing of the failed batch reached the table, not even the row written before the failure
        assertEquals(List.of(MID + 2), mids(store.messagesAfter("j", 0, NOW)));
        assertEquals(List.of(MID + 1), mids(store.messagesAfter("k", 0, NOW)));
    }

    @Test
    void theTablesPrimaryKeyIsTheKeyThenTheMidAndOnlyADatabaseServerGetsTheExpiryIndexAtTheFirstPurge()
            throws Exception {
        stores.computeIfAbsent(20, database::store).purgeExpired(NOW);
        List<String> primaryKey = new ArrayList<>();
        Set<String> otherIndexes = new TreeSet<>();
        boolean databaseServer;
        try (Connection connection = database.connect()) {
            DatabaseMetaData schema = connection.getMetaData();
            databaseServer = JpaMessageStore.instanceLocal(schema.getURL()).isEmpty();
            String table = schema.storesLowerCaseIdentifiers() ? MessageRow.TABLE.toLowerCase(Locale.ROOT) : MessageRow.TABLE;
            String primaryKeyName = null;
            try (ResultSet columns = schema.getPrimaryKeys(null, null, table)) {
                SortedMap<Integer, String> bySequence = new TreeMap<>();
                while (columns.next()) {
                    bySequence.put(columns.getInt("KEY_SEQ"), columns.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
                    primaryKeyName = columns.getString("PK_NAME");
                }
                primaryKey.addAll(bySequence.values());
            }
            try (ResultSet indexes = schema.getIndexInfo(null, null, table, false, false)) {
                while (indexes.next()) {
                    String name = indexes.getString("INDEX_NAME");
                    if (name != null && !name.equalsIgnoreCase(primaryKeyName) && !name.equalsIgnoreCase("PRIMARY")
                            && !name.toUpperCase(Locale.ROOT).startsWith("PRIMARY_KEY")) {
                        otherIndexes.add(name.toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        if (tableInCurrentLayout()) {
            assertEquals(List.of(MessageRow.KEY_COLUMN, MessageRow.MID_COLUMN), primaryKey);
            assertEquals(databaseServer ? Set.of(ExpiredRows.EXPIRY_INDEX) : Set.of(), otherIndexes);
        } else {
            assertEquals(List.of(MessageRow.MID_COLUMN, MessageRow.KEY_COLUMN), primaryKey);
            assertEquals(Set.of("PUSH_MESSAGE_EXPIRY", "PUSH_MESSAGE_KEY_MID"), otherIndexes);
        }
    }

    @Test
    void thePurgeThroughTheExpiryIndexDeletesExactlyTheExpiredRowsInChunksOfAnySize() throws Exception {
        purgesExactlyTheExpiredRowsInChunksOfAnySize(false);
    }

    @Test
    void thePurgeAlongThePrimaryKeyDeletesExactlyTheExpiredRowsInChunksOfAnySize() throws Exception {
        purgesExactlyTheExpiredRowsInChunksOfAnySize(true);
    }

    private void purgesExactlyTheExpiredRowsInChunksOfAnySize(boolean alongPrimaryKey) throws Exception {
        LocalTransactionStore store = stores.computeIfAbsent(20, database::store);
        // keys of 7, 1, 3 and 5 rows with 8 expired among the 16, at the start, middle and end of
        // keys, so that chunks of every size from 1 to 17 end inside a key, at its end and at the
        // table's end, and take the expired rows at once or not
        Map<String, List<Boolean>> layout = new TreeMap<>(Map.of(
                "a", List.of(true, false, true, true, false, false, true),
                "b", List.of(true),
                "c", List.of(false, false, false),
                "d", List.of(false, true, false, true, true)));
        for (int chunk = 1; chunk <= 17; chunk++) {
            store.emptied();
            Map<String, List<Long>> kept = new TreeMap<>();
            int expired = 0;
            long mid = MID;
            for (Map.Entry<String, List<Boolean>> key : layout.entrySet()) {
                kept.put(key.getKey(), new ArrayList<>());
                for (boolean isExpired : key.getValue()) {
                    mid++;
                    // expiry at exactly "now" counts as expired, as readers judge it
                    store.save(key.getKey(), expiringAt(mid, isExpired ? NOW - (mid % 2) : NOW + 1 + (mid % 2)));
                    if (isExpired) {
                        expired++;
                    } else {
                        kept.get(key.getKey()).add(mid);
                    }
                }
            }
            try (Connection connection = database.connect()) {
                int purged = alongPrimaryKey
                        ? ExpiredRows.purgeAlongPrimaryKey(connection, NOW, chunk)
                        : ExpiredRows.purgeThroughExpiryIndex(connection, NOW, chunk);
                assertEquals(expired, purged, "chunk " + chunk);
                assertTrue(connection.getAutoCommit(), "autocommit is on again");
            }
            for (Map.Entry<String, List<Long>> key : kept.entrySet()) {
                assertEquals(key.getValue(), mids(store.messagesAfter(key.getKey(), 0, NOW - 10)),
                        "chunk " + chunk + ", key " + key.getKey());
            }
            assertEquals(0, store.purgeExpired(NOW), "nothing left to purge");
        }
    }

    private static List<Long> mids(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::mid).toList();
    }

    @AfterAll
    void stop() throws Exception {
        stores.values().forEach(LocalTransactionStore::close);
        publicStores.values().forEach(LocalTransactionStore::close);
        stores.clear();
        database.close();
    }
}
