package io.pushcluster.engine.push;

import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.cluster.AccessControls;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.store.MessageStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's work at start and periodically: reading the largest stored mid and answering other
 * members' pushes from the start; closing connections whose heartbeat stopped (every second) and
 * purging expired messages, tokens and idempotency keys and reloading the bans and denied addresses (every {@code push.store.purge-interval}
 * seconds). Closes every connection when the application stops.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());
    private static final String HEARTBEATS = "heartbeats";
    private static final String PURGE = "purge";

    @Resource
    TimerService timers;

    @Inject
    PushSettings settings;

    @Inject
    ConnectionHub hub;

    @Inject
    MessageStore store;

    @Inject
    Tokens tokens;

    @Inject
    MessageIdSource ids;

    @Inject
    IdempotencyKeys idempotency;

    @Inject
    OwnedPushes owned;

    @Inject
    AccessControls access;

    @PostConstruct
    void start() {
        // creates the id source now, so that it reads the largest stored mid before the first push
        ids.current();
        owned.serveOtherMembers();
        timers.createIntervalTimer(1000, 1000, new TimerConfig(HEARTBEATS, false));
        long purgeMillis = settings.purgeIntervalSeconds() * 1000L;
        timers.createIntervalTimer(purgeMillis, purgeMillis, new TimerConfig(PURGE, false));
    }

    @Timeout
    void run(Timer timer) {
        if (HEARTBEATS.equals(timer.getInfo())) {
            hub.closeSilent(System.nanoTime());
        } else {
            purge();
        }
    }

    private void purge() {
        try {
            int purged = store.purgeExpired(System.currentTimeMillis());
            if (purged > 0) {
                LOG.fine(() -> "purged " + purged + " expired messages");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "purging expired messages failed; retrying at the next interval", e);
        }
        tokens.purgeExpired();
        try {
            access.refresh();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reloading the bans and denied addresses failed; retrying at the next interval", e);
        }
        try {
            idempotency.purgeExpired();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "forgetting expired idempotency keys failed; retrying at the next interval", e);
        }
    }

    @PreDestroy
    void stop() {
        hub.closeAll();
    }
}
