package io.pushcluster.engine.store.jpa;

import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.MessageStoreContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on the JPA store over a real PostgreSQL, started for the test on loopback. */
class JpaOnPostgresTest extends MessageStoreContract {

    private static EmbeddedPostgres postgres;
    private static final Map<Integer, LocalTransactionStore> STORES = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    @Override
    protected MessageStore newStore(int cap) {
        return STORES.computeIfAbsent(cap, c -> new LocalTransactionStore(
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", c)).emptied();
    }

    @AfterAll
    static void stop() throws IOException {
        STORES.values().forEach(LocalTransactionStore::close);
        STORES.clear();
        postgres.close();
    }
}
