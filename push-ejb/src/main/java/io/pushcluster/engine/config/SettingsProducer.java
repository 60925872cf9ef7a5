package io.pushcluster.engine.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads {@link PushSettings} once per application from MicroProfile Config. */
@ApplicationScoped
public class SettingsProducer {

    @Produces
    @Singleton
    PushSettings settings() {
        Config config = ConfigProvider.getConfig();
        return new PushSettings(name -> config.getOptionalValue(name, String.class));
    }
}
