package io.pushcluster.engine.store.jpa;

import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.MessageStoreContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The store contract on the JPA store over H2, the default database of Payara. */
class JpaOnH2Test extends MessageStoreContract {

    private static final Map<Integer, LocalTransactionStore> STORES = new HashMap<>();

    @Override
    protected MessageStore newStore(int cap) {
        return STORES.computeIfAbsent(cap, c -> new LocalTransactionStore(
                "jdbc:h2:mem:push-" + c + ";DB_CLOSE_DELAY=-1", "sa", "", c)).emptied();
    }

    @AfterAll
    static void close() {
        STORES.values().forEach(LocalTransactionStore::close);
        STORES.clear();
    }
}
