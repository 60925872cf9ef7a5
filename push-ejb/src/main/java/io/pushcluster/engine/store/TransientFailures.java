package io.pushcluster.engine.store;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Retries a store call that failed for a passing reason: a database that chose the call's
 * transaction as a deadlock victim or timed out on a lock rolled it back whole, so running it again
 * can neither lose nor duplicate anything.
 */
public final class TransientFailures {

    /** Attempts in all, the first included. */
    static final int ATTEMPTS = 3;

    /** SQL states of a transaction the database rolled back: serialization failure, deadlock (PostgreSQL). */
    private static final Set<String> ROLLED_BACK_STATES = Set.of("40001", "40P01");

    private TransientFailures() {
    }

    public static <T> T retry(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
            }
        }
    }

    public static void retry(Runnable call) {
        retry(() -> {
            call.run();
            return null;
        });
    }

    /**
     * A deadlock, serialization failure or lock timeout anywhere in the chain of causes. Drivers that
     * throw a plain {@link SQLException} for everything (PostgreSQL's) say so by the SQL state only.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException
                    || cause instanceof SQLException sql && ROLLED_BACK_STATES.contains(sql.getSQLState())
                    || cause instanceof jakarta.persistence.LockTimeoutException
                    || cause instanceof jakarta.persistence.PessimisticLockException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
