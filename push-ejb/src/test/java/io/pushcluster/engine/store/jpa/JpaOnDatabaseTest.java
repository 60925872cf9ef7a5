package io.pushcluster.engine.store.jpa;

import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.MessageStoreContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The store contract on the JPA store over the database a subclass starts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JpaOnDatabaseTest extends MessageStoreContract {

    private EmbeddedDatabase database;
    private final Map<Integer, LocalTransactionStore> stores = new HashMap<>();

    protected abstract EmbeddedDatabase startDatabase();

    @BeforeAll
    void start() {
        database = startDatabase();
    }

    @Override
    protected MessageStore newStore(int cap) {
        return stores.computeIfAbsent(cap, database::store).emptied();
    }

    @AfterAll
    void stop() throws Exception {
        stores.values().forEach(LocalTransactionStore::close);
        stores.clear();
        database.close();
    }
}
