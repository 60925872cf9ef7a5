package io.pushcluster.web.tcp;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.SubscribeGate;
import io.pushcluster.engine.stats.PushStats;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Starts the TCP listener with the application, on a thread from the container, and stops it when the
 * application stops: the listening socket and every TCP subscriber are closed and the thread ends. A
 * listener that cannot bind {@code push.tcp.bind} fails the deployment.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TcpListener {

    private static final Logger LOG = Logger.getLogger(TcpListener.class.getName());
    private static final long STOP_WAIT_MILLIS = 5_000;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    PushSettings settings;

    @Inject
    SubscribeGate gate;

    @Inject
    ConnectionHub hub;

    @Inject
    PushStats stats;

    private TcpServer server;
    private Thread thread;

    @PostConstruct
    void start() {
        if (!settings.tcpEnabled()) {
            LOG.info(() -> "no TCP listener: " + PushSettings.TCP_ENABLED + " is false");
            return;
        }
        try {
            server = TcpServer.listen(settings, new SubscribeCommand(settings, gate, hub, stats), stats);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot listen for TCP subscribers on " + settings.tcpBind()
                    + " (" + PushSettings.TCP_BIND + ")", e);
        }
        thread = threads.newThread(server);
        thread.setName("push-tcp-listener");
        thread.start();
        LOG.info(() -> "listening for TCP subscribers on " + settings.tcpBind());
    }

    @PreDestroy
    void stop() {
        if (server == null) {
            return;
        }
        server.stop();
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning("the TCP listener thread did not end within " + STOP_WAIT_MILLIS + " ms");
        } else {
            LOG.info(() -> "stopped listening for TCP subscribers on " + settings.tcpBind());
        }
    }
}
