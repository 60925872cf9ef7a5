package io.pushcluster.web.tcp;

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
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.Optional;
import java.util.logging.Logger;

/** The TCP listener on {@code push.tcp.bind}, unless {@code push.tcp.enabled} is false. */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TcpListener extends SubscriberListener {

    private static final Logger LOG = Logger.getLogger(TcpListener.class.getName());

    @Override
    protected Optional<ListenerSettings> listenerSettings(TransportSettings settings) {
        if (!settings.tcpEnabled()) {
            LOG.info(() -> "no TCP listener: " + TransportSettings.TCP_ENABLED + " is false or " + TransportSettings.TCP_BIND + " is off");
            return Optional.empty();
        }
        return Optional.of(new ListenerSettings("TCP", TransportSettings.TCP_BIND, settings.tcpBind().host(),
                settings.tcpBind().port(), settings.tcpMaxConnections(), settings.tcpKeepalive()));
    }

    @Override
    protected SubscriberServer.SocketFactory sockets(PushSettings settings, TransportSettings transport,
            SubscribeGate gate, ConnectionHub hub, PushStats stats) {
        SubscribeCommand command = new SubscribeCommand(settings, transport.tcpCommandMaxBytes(),
                new Subscriptions(settings, gate, hub, stats, new TcpFraming(), TransportKind.TCP));
        return (channel, key, deadline, server) -> new TcpSubscriber(channel, key, deadline, server, command);
    }
}
