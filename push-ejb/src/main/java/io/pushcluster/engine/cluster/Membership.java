package io.pushcluster.engine.cluster;

import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.grid.MemberCard;
import io.pushcluster.engine.grid.SoloGrid;
import io.pushcluster.engine.config.PushSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The members of the cluster and the ring that assigns keys to them. This member publishes its card
 * in the grid; every member builds the same {@link ClusterView} from the live members' cards, again
 * whenever a member or a card comes or goes, and on every {@link #refresh} in case an event was
 * missed.
 *
 * <p>The card's addresses are the web tier's to say ({@link #advertise}): the engine knows no
 * listener.
 */
@ApplicationScoped
public class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class.getName());

    private Grid grid;
    private volatile MemberCard localCard;
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
        this.grid = grid;
        this.localCard = new MemberCard(settings.nodeName(), settings.nodeWeight(), List.of(), List.of());
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
            LOG.info(() -> "member " + localCard.name() + ": " + changes(previous, built));
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

    /** "m3 joined; the ring is now [m1(1), m2(1), m3(1)]", or who left, or both. */
    static String changes(ClusterView before, ClusterView after) {
        Set<String> joined = new TreeSet<>(after.members().keySet());
        joined.removeAll(before.members().keySet());
        Set<String> left = new TreeSet<>(before.members().keySet());
        left.removeAll(after.members().keySet());
        StringBuilder line = new StringBuilder();
        if (!joined.isEmpty()) {
            line.append(String.join(", ", joined)).append(" joined");
        }
        if (!left.isEmpty()) {
            line.append(line.length() > 0 ? ", " : "").append(String.join(", ", left)).append(" left");
        }
        if (line.length() == 0) {
            line.append("the members' cards changed");
        }
        return line.append("; the ring is now ").append(after).append(" (was ").append(before).append(')').toString();
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
     * Sets the addresses clients reach this member's subscriber transports at, on its card; the card
     * is published again when this member is on the ring.
     */
    public synchronized void advertise(List<String> webSocket, List<String> tcp) {
        localCard = new MemberCard(localCard.name(), localCard.weight(), List.copyOf(webSocket), List.copyOf(tcp));
        if (entered) {
            grid.publish(localCard);
        }
        refresh();
    }

    /** A host of this machine that other members reach it by. */
    public String localHost() {
        return grid.localHost();
    }
}
