package io.pushcluster.engine.cluster;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.ring.KetamaRing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The members of the cluster and the ring that assigns keys to them. Today the only member is this
 * node, named and weighted by configuration; its public addresses come from configuration too, or
 * else, for WebSocket, from the address a request reached it on and, for TCP, from the TCP listener's
 * address.
 */
@ApplicationScoped
public class Membership {

    private PushSettings settings;
    private KetamaRing ring;

    protected Membership() {
    }

    @Inject
    public Membership(PushSettings settings) {
        this.settings = settings;
        this.ring = KetamaRing.of(Map.of(settings.nodeName(), settings.nodeWeight()));
    }

    /** The name of the member that owns the key. */
    public String ownerOf(String key) {
        return ring.nodeFor(key);
    }

    public boolean ownsLocally(String key) {
        return settings.nodeName().equals(ownerOf(key));
    }

    /**
     * The public addresses of the key's owner for a protocol; empty when it has none, or when the
     * owner is a member whose addresses this node does not know.
     *
     * @param requestAddress host:port the current request reached this node on
     */
    public List<String> addressesOf(String key, Protocol protocol, String requestAddress) {
        if (!ownsLocally(key)) {
            return List.of();
        }
        return switch (protocol) {
            case WEBSOCKET -> settings.publicWebSocket().isEmpty() ? List.of(requestAddress)
                    : settings.publicWebSocket();
            case TCP -> settings.publicTcp().isEmpty() ? tcpListenerAddress(requestAddress) : settings.publicTcp();
        };
    }

    private List<String> tcpListenerAddress(String requestAddress) {
        if (!settings.tcpEnabled()) {
            return List.of();
        }
        String host = settings.tcpBindHost();
        // 0.0.0.0, :: and their other spellings listen on every interface, and no client can connect to them
        if (host.replace("[", "").replace("]", "").matches("[0.:]+")) {
            host = requestAddress.substring(0, requestAddress.lastIndexOf(':'));
        }
        return List.of(host + ":" + settings.tcpBindPort());
    }
}
