package io.pushcluster.engine.cluster;

import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.grid.MemberCard;
import io.pushcluster.engine.grid.SoloGrid;
import io.pushcluster.engine.config.HostPort;
import io.pushcluster.engine.config.PushSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The members of the cluster and the ring that assigns keys to them. This member publishes its card
 * in the grid; every member builds the same {@link ClusterView} from the live members' cards, again
 * whenever a member or a card comes or goes, and on every {@link #refresh} in case an event was
 * missed.
 *
 * <p>Public addresses come from configuration; else, for WebSocket, from the WebSocket listener's
 * address when it is on, or else from the address of Payara's HTTP listener (the address a request
 * reached this node on, when this node answers for itself) and, for TCP, from the TCP listener's
 * address.
 */
@ApplicationScoped
public class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class.getName());

    private PushSettings settings;
    private Grid grid;
    private MemberCard localCard;
    private volatile ClusterView view;
    private volatile Runnable onViewChange = () -> { };
    /** Whether this member is on the ring: from {@link #enter} until {@link #withdraw}. */
    private volatile boolean entered;

    protected Membership() {
    }

    /** A node alone on its ring at once, as tools and tests without a grid need it. */
    public Membership(PushSettings settings) {
        this(settings, new SoloGrid());
        enter();
    }

    @Inject
    public Membership(PushSettings settings, Grid grid) {
        this.settings = settings;
        this.grid = grid;
        this.localCard = new MemberCard(settings.nodeName(), settings.nodeWeight(), publishedWebSocket(), publishedTcp());
        this.view = new ClusterView(grid.localId(), null, Map.of());
    }

    /**
     * Starts following the grid, without being on the ring yet: keys belong to the members that
     * are. View changes are computed on the executor, then {@code onViewChange} runs there.
     */
    public void follow(Executor executor, Runnable onViewChange) {
        this.onViewChange = onViewChange;
        grid.onChange(() -> executor.execute(this::refresh));
        refresh();
    }

    /** Puts this member on the ring, publishing its card: from now on it owns keys. */
    public void enter() {
        entered = true;
        grid.publish(localCard);
        refresh();
    }

    /**
     * Takes this member off the ring, withdrawing its card, and tells the change listener at once:
     * its keys belong to the other members from now on, as soon as they see the card gone.
     */
    public void withdraw() {
        entered = false;
        grid.withdraw();
        refresh();
    }

    /** The grid ids of the members alive now, on the ring or not. */
    public Set<String> liveMemberIds() {
        return grid.memberIds();
    }

    public boolean entered() {
        return entered;
    }

    /** Withdraws this member from the grid. */
    public void leave() {
        entered = false;
        grid.leave();
    }

    /** Rebuilds the view from the grid; true (after running the change listener) when it changed. */
    public boolean refresh() {
        ClusterView next;
        synchronized (this) {
            ClusterView built = new ClusterView(grid.localId(), entered ? localCard : null, grid.liveCards());
            if (built.equals(view)) {
                return false;
            }
            ClusterView previous = view;
            view = built;
            next = built;
            LOG.info(() -> "cluster members now " + built + " (were " + previous + ")");
            if (!built.conflicts().isEmpty()) {
                LOG.severe(() -> "members with a name already taken own no keys: " + built.conflicts()
                        + "; give every member its own push.node.name");
            }
        }
        try {
            onViewChange.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reacting to the cluster change to " + next + " failed", e);
        }
        return true;
    }

    public ClusterView view() {
        return view;
    }

    /** The name of the member that owns the key. */
    public String ownerOf(String key) {
        return view.ownerOf(key);
    }

    public boolean ownsLocally(String key) {
        return view.ownsLocally(key);
    }

    public MemberCard localCard() {
        return localCard;
    }

    /**
     * The public addresses of the key's owner for a protocol; empty when it has none.
     *
     * @param requestAddress host:port the current request reached this node on
     */
    public List<String> addressesOf(String key, Protocol protocol, String requestAddress) {
        ClusterView current = view;
        String owner = current.ownerOf(key);
        if (current.ownsLocally(key)) {
            return switch (protocol) {
                case WEBSOCKET -> settings.publicWebSocket().isEmpty() ? webSocketAddress(requestAddress)
                        : settings.publicWebSocket();
                case TCP -> settings.publicTcp().isEmpty() ? tcpListenerAddress(hostOf(requestAddress))
                        : settings.publicTcp();
            };
        }
        if (owner == null) {
            return List.of();
        }
        return current.cardOf(owner)
                .map(card -> protocol == Protocol.WEBSOCKET ? card.webSocket() : card.tcp())
                .orElse(List.of());
    }

    /** The WebSocket listener's address when it is on, else the address the request came in on (the /sub endpoint). */
    private List<String> webSocketAddress(String requestAddress) {
        if (!settings.webSocketEnabled()) {
            return List.of(requestAddress);
        }
        return listenerAddress(settings.webSocketBindHost(), settings.webSocketBindPort(), hostOf(requestAddress));
    }

    private List<String> publishedWebSocket() {
        if (!settings.publicWebSocket().isEmpty()) {
            return settings.publicWebSocket();
        }
        if (settings.webSocketEnabled()) {
            return listenerAddress(settings.webSocketBindHost(), settings.webSocketBindPort(), grid.localHost());
        }
        if (settings.httpPort() == 0) {
            return List.of();
        }
        String host = settings.httpHost();
        return List.of((host.isEmpty() || everyInterface(host) ? grid.localHost() : host) + ":" + settings.httpPort());
    }

    private List<String> publishedTcp() {
        return settings.publicTcp().isEmpty() ? tcpListenerAddress(grid.localHost()) : settings.publicTcp();
    }

    private List<String> tcpListenerAddress(String hostForEveryInterface) {
        if (!settings.tcpEnabled()) {
            return List.of();
        }
        return listenerAddress(settings.tcpBindHost(), settings.tcpBindPort(), hostForEveryInterface);
    }

    private static List<String> listenerAddress(String bindHost, int port, String hostForEveryInterface) {
        return List.of((everyInterface(bindHost) ? hostForEveryInterface : bindHost) + ":" + port);
    }

    /** 0.0.0.0, :: and their other spellings listen on every interface, and no client can connect to them. */
    public static boolean everyInterface(String host) {
        return HostPort.bare(host).matches("[0.:]+");
    }

    private static String hostOf(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }
}
