package io.pushcluster.engine.store;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.stats.PushStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Makes the backend named by {@code push.store}, timed ({@link MeasuredStore}), the {@link MessageStore} everyone injects. */
@ApplicationScoped
public class StoreSelector {

    @Produces
    @ApplicationScoped
    MessageStore selected(PushSettings settings, PushStats stats, @Any Instance<MessageStore> backends) {
        Instance<MessageStore> chosen = backends.select(new Backend.Named(settings.store()));
        if (!chosen.isResolvable()) {
            throw new IllegalStateException("push.store=" + settings.store()
                    + " names no store backend; use jpa or memory");
        }
        return new MeasuredStore(chosen.get(), settings.store(), stats, settings.nodeName());
    }
}
