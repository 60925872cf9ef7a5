package io.pushcluster.engine.cluster;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.ring.KetamaRing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The members of the cluster and the ring that assigns keys to them. Today the only member is this
 * node, named and weighted by configuration; its public addresses come from configuration too, or,
 * for WebSocket, from the address a request reached it on.
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
            case TCP -> settings.publicTcp();
        };
    }
}
