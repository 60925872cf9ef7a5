package io.pushcluster.web.health;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.MessageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the message store answers. */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    @Inject
    MessageStore store;

    @Inject
    PushSettings settings;

    @Override
    public HealthCheckResponse call() {
        try {
            store.check();
            return HealthCheckResponse.named("message-store").withData("store", settings.store()).up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("message-store").withData("store", settings.store())
                    .withData("error", String.valueOf(e.getMessage())).down().build();
        }
    }
}
