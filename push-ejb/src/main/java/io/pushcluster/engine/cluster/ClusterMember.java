package io.pushcluster.engine.cluster;

import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.stats.Disconnect;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This application's life as a member: joins the grid at start and leaves it at stop; when the
 * members change, closes the connections of keys this member no longer owns (their clients look up
 * their node again) and moves mids past every stored one, so that each key's mids keep increasing
 * on its new owner. A connection that subscribed while the view changed is caught by the sweeps of
 * the following seconds.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClusterMember {

    private static final Logger LOG = Logger.getLogger(ClusterMember.class.getName());
    private static final long SWEEP_AFTER_CHANGE_NANOS = 3_000_000_000L;
    private static final long SUMMARY_NANOS = 60_000_000_000L;

    @Resource
    TimerService timers;

    @Resource
    ManagedExecutorService executor;

    @Inject
    Membership membership;

    @Inject
    DeliveryRouter router;

    @Inject
    ConnectionHub hub;

    @Inject
    MessageIdSource ids;

    @Inject
    MessageStore store;

    @Inject
    PushStats stats;

    @Inject
    OwnerRequests requests;

    @Inject
    Presence presence;

    @Inject
    AccessControls access;

    private volatile long changedAtNanos = System.nanoTime();
    private long nextSummaryNanos = System.nanoTime() + SUMMARY_NANOS;

    /**
     * Follows the grid; enters the ring at once when no other member is on it (a node alone, or the
     * first of a cluster: no key is taken from a member that could serve it), else only when
     * {@link #enterRing} is called.
     */
    @PostConstruct
    void join() {
        router.listen();
        presence.serveOtherMembers();
        access.serveOtherMembers();
        stats.gauge("push.cluster.members", "Members on the ring, as this member sees them",
                () -> membership.view().size());
        membership.follow(executor, this::viewChanged);
        if (membership.view().size() == 0) {
            enterRing();
        }
        timers.createIntervalTimer(1000, 1000, new TimerConfig("cluster", false));
    }

    /**
     * Puts this member on the ring: to be called once it can serve its keys (its application answers,
     * its listeners are bound, its store answers), so that no key belongs to a member that cannot
     * serve it yet. Does nothing when it is on the ring already.
     */
    public void enterRing() {
        if (!membership.entered()) {
            membership.enter();
            LOG.info(() -> "member " + name() + ": on the ring " + membership.view());
        }
    }

    /**
     * Takes this member off the ring before it stops: the connections of its keys are closed at once
     * and their clients find the keys' new owners, while this member still forwards what reaches it.
     */
    public void leaveRing() {
        if (membership.entered()) {
            membership.withdraw();
            LOG.info(() -> "member " + name() + ": off the ring " + membership.view());
        }
    }

    @Timeout
    void tick() {
        try {
            if (!membership.refresh() && System.nanoTime() - changedAtNanos < SWEEP_AFTER_CHANGE_NANOS) {
                closeConnectionsOfKeysGone();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reading the cluster's members failed; trying again in a second", e);
        }
        long now = System.nanoTime();
        if (now - nextSummaryNanos >= 0) {
            nextSummaryNanos = now + SUMMARY_NANOS;
            stats.sinceLastSummary().ifPresent(line -> LOG.info(() -> "member " + name() + ": in the last minute " + line));
        }
    }

    private String name() {
        return membership.localCard().name();
    }

    private void viewChanged() {
        changedAtNanos = System.nanoTime();
        stats.ringChanged();
        requests.keepOnly(membership.liveMemberIds());
        closeConnectionsOfKeysGone();
        if (!membership.entered()) {
            // leaving (the store may be stopping too) or not yet on the ring: no key to give mids for
            return;
        }
        warnIfStoreNotShared();
        try {
            ids.advancePast(store.maxMid());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the largest stored mid after the cluster changed", e);
        }
    }

    private void warnIfStoreNotShared() {
        if (membership.view().size() < 2) {
            return;
        }
        try {
            store.instanceLocal().ifPresent(reason -> LOG.severe(() -> "member " + name() + ": this cluster has "
                    + membership.view().size() + " members, but " + reason
                    + ". A client that moves to another member will not find the messages it missed,"
                    + " and readiness reports DOWN."));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not ask the store whether it is shared", e);
        }
    }

    private void closeConnectionsOfKeysGone() {
        int closed = hub.closeWhere(key -> !membership.ownsLocally(key));
        if (closed > 0) {
            stats.disconnected(Disconnect.MIGRATED, closed);
            LOG.info(() -> "member " + name() + ": keys moved to other members; closed their " + closed
                    + " connections here, whose clients reconnect to the new owners");
        }
    }

    @PreDestroy
    void leave() {
        try {
            membership.leave();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "leaving the cluster failed; the others notice when this member's grid stops", e);
        }
    }
}
