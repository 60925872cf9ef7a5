package io.pushcluster.web.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads {@link TransportSettings} once per application from MicroProfile Config. */
@ApplicationScoped
public class TransportSettingsProducer {

    @Produces
    @Singleton
    TransportSettings settings() {
        Config config = ConfigProvider.getConfig();
        return new TransportSettings(name -> config.getOptionalValue(name, String.class));
    }
}
