package io.pushcluster.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
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
    void aDeadlockReportedOnlyByItsSqlStateIsRunAgain() {
        AtomicInteger calls = new AtomicInteger();
        String result = TransientFailures.retry(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new StoreUnavailableException("batch failed", new SQLException("deadlock detected", "40P01"));
            }
            return "stored";
        });
        assertEquals("stored", result);
        assertEquals(2, calls.get());
    }

    @Test
    void aConstraintViolationIsNotRunAgain() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(StoreUnavailableException.class, () -> TransientFailures.retry(() -> {
            calls.incrementAndGet();
            throw new StoreUnavailableException("batch failed", new SQLException("duplicate key", "23505"));
        }));
        assertEquals(1, calls.get());
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
