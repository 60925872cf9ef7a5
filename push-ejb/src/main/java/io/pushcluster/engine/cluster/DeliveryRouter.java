package io.pushcluster.engine.cluster;

import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers a push to the connections of its keys: keys this member owns at once, the others sent to
 * their owners, one grid message per owning member however many keys it owns. A public message
 * ({@link PushedMessage#PUBLIC}) goes to every connection of this member, and in one grid message to
 * each other member, which delivers it to all of its own.
 * The member's channel also carries {@link OwnerRequests}, which this hands on.
 */
@ApplicationScoped
public class DeliveryRouter {

    private static final Logger LOG = Logger.getLogger(DeliveryRouter.class.getName());

    private Membership membership;
    private Grid grid;
    private ConnectionHub hub;
    private PushStats stats;
    private OwnerRequests requests;

    protected DeliveryRouter() {
    }

    @Inject
    public DeliveryRouter(Membership membership, Grid grid, ConnectionHub hub, PushStats stats, OwnerRequests requests) {
        this.membership = membership;
        this.grid = grid;
        this.hub = hub;
        this.stats = stats;
        this.requests = requests;
    }

    /** Starts delivering what other members forward to this one, and answering their requests. */
    public void listen() {
        grid.onReceive(payload -> {
            if (OwnerRequests.carries(payload)) {
                requests.received(payload);
            } else {
                receive(payload);
            }
        });
    }

    /** Returns to how many of this member's connections the message was queued. */
    public int deliver(Collection<String> keys, PushedMessage message) {
        if (message.gid() == PushedMessage.PUBLIC) {
            return deliverEverywhere(keys, message);
        }
        ClusterView view = membership.view();
        int delivered = 0;
        Map<String, List<String>> remote = null;
        for (String key : keys) {
            String owner = view.ownerIdOf(key);
            // no owner while no member is on the ring: this member has no subscriber of it either
            if (owner == null || view.isLocal(owner)) {
                delivered += hub.deliver(key, message);
            } else {
                if (remote == null) {
                    remote = new HashMap<>();
                }
                remote.computeIfAbsent(owner, id -> new ArrayList<>()).add(key);
            }
        }
        if (remote != null) {
            remote.forEach((owner, owned) -> forward(owner, owned, message));
        }
        return delivered;
    }

    private int deliverEverywhere(Collection<String> keys, PushedMessage message) {
        List<String> stream = List.copyOf(keys);
        for (String member : membership.liveMemberIds()) {
            if (!member.equals(grid.localId())) {
                forward(member, stream, message);
            }
        }
        return hub.deliverToAll(message);
    }

    private void forward(String owner, List<String> keys, PushedMessage message) {
        try {
            grid.send(owner, new ForwardedPush(keys, message).toBytes());
            stats.forwarded(keys.size());
        } catch (RuntimeException e) {
            // the owner has just gone; its successor's clients fetch what they missed from the store
            LOG.log(Level.FINE, "forwarding a push to member " + owner + " failed", e);
            stats.forwardFailed(keys.size());
        }
    }

    void receive(byte[] payload) {
        ForwardedPush push;
        try {
            push = ForwardedPush.fromBytes(payload);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "dropped a forwarded push this member cannot read", e);
            return;
        }
        int delivered = 0;
        if (push.message().gid() == PushedMessage.PUBLIC) {
            delivered = hub.deliverToAll(push.message());
        } else {
            for (String key : push.keys()) {
                delivered += hub.deliver(key, push.message());
            }
        }
        stats.delivered(delivered);
    }
}
