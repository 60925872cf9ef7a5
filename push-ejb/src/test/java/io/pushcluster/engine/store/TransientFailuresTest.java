package io.pushcluster.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.persistence.PersistenceException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

    private static RuntimeException deadlock() {
        return new PersistenceException("wrapped", new RuntimeException(new SQLTransactionRollbackException("Deadlock")));
    }

    @Test
    void aDeadlockedCallIsRunAgainUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = TransientFailures.retry(() -> {
            if (calls.incrementAndGet() < TransientFailures.ATTEMPTS) {
                throw deadlock();
            }
            return "stored";
        });
        assertEquals("stored", result);
        assertEquals(TransientFailures.ATTEMPTS, calls.get());
    }

    @Test
    void attemptsAreBounded() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(PersistenceException.class, () -> TransientFailures.retry(() -> {
            calls.incrementAndGet();
            throw deadlock();
        }));
        assertEquals(TransientFailures.ATTEMPTS, calls.get());
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        RuntimeException down = new StoreUnavailableException("down", new java.net.ConnectException());
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> TransientFailures.retry(() -> {
            calls.incrementAndGet();
            throw down;
        }));
        assertSame(down, thrown);
        assertEquals(1, calls.get());
    }
}
