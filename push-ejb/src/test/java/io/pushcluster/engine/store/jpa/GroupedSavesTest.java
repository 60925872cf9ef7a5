package io.pushcluster.engine.store.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushcluster.api.StoredMessage;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What GroupedSaves refuses before it touches the database. */
class GroupedSavesTest {

    @Test
    void aSaveInsideAJtaTransactionIsRefusedWithoutTakingAConnection() {
        AtomicInteger connectionsAsked = new AtomicInteger();
        GroupedSaves saves = new GroupedSaves();
        saves.dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    connectionsAsked.incrementAndGet();
                    throw new UnsupportedOperationException(method.getName());
                });
        saves.transactions = new FixedStatus(Status.STATUS_ACTIVE);
        saves.start();
        StoredMessage message = new StoredMessage(1, 0, "{}", Long.MAX_VALUE);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> saves.save(List.of("k"), message));
        assertEquals("the JPA store saves in transactions of its own: call it outside a JTA transaction",
                refused.getMessage());
        saves.transactions = new FixedStatus(Status.STATUS_MARKED_ROLLBACK);
        assertThrows(IllegalStateException.class, () -> saves.save(List.of("k"), message));
        assertEquals(0, connectionsAsked.get());
        saves.stop();
    }

    /** A registry that reports one transaction status, for code that only asks for the status. */
    private record FixedStatus(int status) implements TransactionSynchronizationRegistry {

        @Override
        public int getTransactionStatus() {
            return status;
        }

        @Override
        public Object getTransactionKey() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void putResource(Object key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object getResource(Object key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void registerInterposedSynchronization(Synchronization sync) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setRollbackOnly() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean getRollbackOnly() {
            throw new UnsupportedOperationException();
        }
    }
}
