package io.pushcluster.web.socket.listener;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.subscribe.SubscribeGate;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.TransportKind;
import io.pushcluster.web.nio.ListenerSettings;
import io.pushcluster.web.nio.SubscriberListener;
import io.pushcluster.web.nio.SubscriberServer;
import io.pushcluster.engine.subscribe.Subscriptions;
import io.pushcluster.web.socket.WebSocketFraming;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.Optional;
import java.util.logging.Logger;

/** The WebSocket listener on {@code push.websocket.bind}, by default Payara's HTTP port + 1000; off when set to off. */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class WebSocketListener extends SubscriberListener {

    private static final Logger LOG = Logger.getLogger(WebSocketListener.class.getName());

    @Override
    protected Optional<ListenerSettings> listenerSettings(TransportSettings settings) {
        if (!settings.webSocketEnabled()) {
            LOG.info(() -> "no WebSocket listener of our own: " + TransportSettings.WEBSOCKET_BIND + " is off");
            return Optional.empty();
        }
        return Optional.of(new ListenerSettings("WebSocket", TransportSettings.WEBSOCKET_BIND,
                settings.webSocketBind().host(), settings.webSocketBind().port(), settings.webSocketMaxConnections(), false));
    }

    @Override
    protected SubscriberServer.SocketFactory sockets(PushSettings settings, TransportSettings transport,
            SubscribeGate gate, ConnectionHub hub, PushStats stats) {
        Subscriptions subscriptions = new Subscriptions(settings, gate, hub, stats, new WebSocketFraming(), TransportKind.WEBSOCKET);
        return (channel, key, deadline, server) -> new WebSocketSubscriber(channel, key, deadline, server, settings,
                transport, subscriptions);
    }
}
