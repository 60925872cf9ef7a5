package io.pushcluster.web.it.slow;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.StoreUnavailableException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Deployed by tests beside the real store to make it slow and flaky on purpose: every save first
 * waits a random time up to {@code test.store.max-delay-ms}, and fails (before it reaches the store)
 * with a probability of {@code test.store.failure-percent}. Whatever store is configured still
 * stores; only its latency and its failures are the test's.
 */
@Decorator
@Priority(Interceptor.Priority.APPLICATION)
public abstract class SlowStore implements MessageStore {

    @Inject
    @Delegate
    @Any
    MessageStore store;

    @Override
    public void save(String key, StoredMessage message) {
        delayOrFail();
        store.save(key, message);
    }

    @Override
    public void saveForKeys(Collection<String> keys, StoredMessage message) {
        delayOrFail();
        store.saveForKeys(keys, message);
    }

    private static void delayOrFail() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int maxDelayMillis = setting("test.store.max-delay-ms");
        if (maxDelayMillis > 0) {
            LockSupport.parkNanos(random.nextLong(maxDelayMillis * 1_000_000L));
        }
        if (random.nextInt(100) < setting("test.store.failure-percent")) {
            throw new StoreUnavailableException("failed on purpose by the test");
        }
    }

    private static int setting(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, Integer.class).orElse(0);
    }
}
