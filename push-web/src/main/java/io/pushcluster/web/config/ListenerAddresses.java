package io.pushcluster.web.config;

import io.pushcluster.engine.cluster.ClusterView;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.config.HostPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Where clients reach a key's subscriber transports. Public addresses come from configuration; else,
 * for WebSocket, the WebSocket listener's address when it is on, or else Payara's HTTP listener
 * ({@code /sub}; the address a request reached this node on, when this node answers for itself) and,
 * for TCP, the TCP listener's address. This member's are put on its card ({@link #advertise}); another
 * member's come from its card.
 */
@ApplicationScoped
public class ListenerAddresses {

    private TransportSettings settings;
    private Membership membership;

    protected ListenerAddresses() {
    }

    @Inject
    public ListenerAddresses(TransportSettings settings, Membership membership) {
        this.settings = settings;
        this.membership = membership;
    }

    /** Puts this member's addresses on its card, for the other members to answer with. */
    public void advertise() {
        membership.advertise(publishedWebSocket(), publishedTcp());
    }

    /**
     * The public addresses of the key's owner for a protocol; empty when it has none.
     *
     * @param requestAddress host:port the current request reached this node on
     */
    public List<String> forKey(String key, Protocol protocol, String requestAddress) {
        ClusterView view = membership.view();
        if (view.ownsLocally(key)) {
            return switch (protocol) {
                case WEBSOCKET -> settings.publicWebSocket().isEmpty() ? webSocketAddress(requestAddress)
                        : settings.publicWebSocket();
                case TCP -> settings.publicTcp().isEmpty() ? tcpListenerAddress(hostOf(requestAddress))
                        : settings.publicTcp();
            };
        }
        String owner = view.ownerOf(key);
        if (owner == null) {
            return List.of();
        }
        return view.cardOf(owner)
                .map(card -> protocol == Protocol.WEBSOCKET ? card.webSocket() : card.tcp())
                .orElse(List.of());
    }

    /**
     * Whether clients connect to the addresses of {@link #forKey} with TLS: the listener of our own for
     * the protocol is on and speaks TLS. The members of a cluster are to have the same TLS settings.
     */
    public boolean tls(Protocol protocol) {
        return switch (protocol) {
            case WEBSOCKET -> settings.webSocketEnabled() && settings.tls().on(TlsSettings.WEBSOCKET);
            case TCP -> settings.tcpEnabled() && settings.tls().on(TlsSettings.TCP);
        };
    }

    /** The WebSocket listener's address when it is on, else the address the request came in on (/sub). */
    private List<String> webSocketAddress(String requestAddress) {
        if (!settings.webSocketEnabled()) {
            return List.of(requestAddress);
        }
        return listenerAddress(settings.webSocketBind(), hostOf(requestAddress));
    }

    List<String> publishedWebSocket() {
        if (!settings.publicWebSocket().isEmpty()) {
            return settings.publicWebSocket();
        }
        if (settings.webSocketEnabled()) {
            return listenerAddress(settings.webSocketBind(), membership.localHost());
        }
        if (settings.httpPort() == 0) {
            return List.of();
        }
        String host = settings.httpHost();
        return List.of(HostPort.format(host.isEmpty() || HostPort.everyInterface(host) ? membership.localHost() : host,
                settings.httpPort()));
    }

    List<String> publishedTcp() {
        return settings.publicTcp().isEmpty() ? tcpListenerAddress(membership.localHost()) : settings.publicTcp();
    }

    private List<String> tcpListenerAddress(String hostForEveryInterface) {
        if (!settings.tcpEnabled()) {
            return List.of();
        }
        return listenerAddress(settings.tcpBind(), hostForEveryInterface);
    }

    private static List<String> listenerAddress(HostPort bind, String hostForEveryInterface) {
        return List.of(HostPort.format(HostPort.everyInterface(bind.host()) ? hostForEveryInterface : bind.host(),
                bind.port()));
    }

    private static String hostOf(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }
}
