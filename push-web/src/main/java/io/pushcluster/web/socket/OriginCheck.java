package io.pushcluster.web.socket;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.web.subscribe.Origins;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses WebSocket handshakes from browser origins not on {@code push.origins}. A missing Origin
 * (a non-browser client) is always accepted; an empty list accepts every origin.
 */
public class OriginCheck extends ServerEndpointConfig.Configurator {

    private volatile List<String> allowed;

    @Override
    public boolean checkOrigin(String origin) {
        List<String> origins = allowed;
        if (origins == null) {
            origins = PushSettings.splitList(
                    ConfigProvider.getConfig().getOptionalValue(PushSettings.ORIGINS, String.class).orElse(""));
            allowed = origins;
        }
        return Origins.allowed(origins, origin);
    }
}
