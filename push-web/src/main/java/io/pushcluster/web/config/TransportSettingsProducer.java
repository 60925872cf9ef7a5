package io.pushcluster.web.config;

import io.pushcluster.engine.config.HostPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads {@link TransportSettings} once per application from MicroProfile Config. A listener whose
 * address was derived from Payara's HTTP port (none was set) is left off, with a warning, when that
 * address cannot be bound now (another process holds the port): a default must not fail the
 * deployment. An address that was set and cannot be bound does fail it.
 */
@ApplicationScoped
public class TransportSettingsProducer {

    private static final Logger LOG = Logger.getLogger(TransportSettingsProducer.class.getName());

    @Produces
    @Singleton
    TransportSettings settings() {
        Config config = ConfigProvider.getConfig();
        return read(name -> config.getOptionalValue(name, String.class), TransportSettingsProducer::bindable);
    }

    /** The settings, the derived listeners that {@code bindable} refuses turned off. */
    static TransportSettings read(Function<String, Optional<String>> lookup, Predicate<HostPort> bindable) {
        TransportSettings settings = new TransportSettings(lookup);
        Map<String, String> off = new HashMap<>();
        settings.derivedListeners().forEach((property, bind) -> {
            if (!bindable.test(bind)) {
                LOG.warning(() -> "not listening on " + HostPort.format(bind.host(), bind.port()) + ", the default of "
                        + property + " (Payara's HTTP port + an offset): the address is in use; set " + property
                        + " to a free address, or to " + TransportSettings.OFF_VALUE + " to silence this");
                off.put(property, TransportSettings.OFF_VALUE);
            }
        });
        return off.isEmpty() ? settings
                : new TransportSettings(name -> off.containsKey(name) ? Optional.of(off.get(name)) : lookup.apply(name));
    }

    /** Whether a listening socket can be bound to the address now. */
    static boolean bindable(HostPort address) {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(HostPort.bare(address.host()), address.port()));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
