package io.pushcluster.engine.grid;

import com.hazelcast.nio.serialization.HazelcastSerializationException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Payara's data grid can fail an operation on a map while a member joins and deploys at the same time
 * as another: the tenant control it sends with the operation cannot be read yet on the receiving side
 * ("Problem while reading DataSerializable ... PayaraHazelcastTenant ... has been shut down"), and the
 * deployment then fails. Seen once in a three-member start here. The operations this wraps are safe to
 * repeat, so they are tried again a few times, 200 ms apart, before the failure is passed on.
 */
final class JoinRace {

    static final int ATTEMPTS = 5;
    private static final long PAUSE_MILLIS = 200;
    private static final Logger LOG = Logger.getLogger(JoinRace.class.getName());

    private JoinRace() {
    }

    static <T> T retried(String what, Supplier<T> operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (HazelcastSerializationException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                int failed = attempt;
                LOG.log(Level.INFO, e, () -> what + " failed while the grid was taking a member in (attempt " + failed
                        + " of " + ATTEMPTS + "); trying again");
                try {
                    Thread.sleep(PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
