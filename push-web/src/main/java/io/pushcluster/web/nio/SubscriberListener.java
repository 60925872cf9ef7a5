package io.pushcluster.web.nio;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.web.guard.ClientAddresses;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.subscribe.SubscribeGate;
import io.pushcluster.engine.stats.PushStats;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Starts a subscriber listener with the application, on a thread from the container, and stops it when
 * the application stops: the listening socket and every subscriber's are closed and the thread ends. A
 * listener that cannot bind its address fails the deployment. Each protocol's singleton bean extends
 * this.
 */
public abstract class SubscriberListener {

    private static final Logger LOG = Logger.getLogger(SubscriberListener.class.getName());
    private static final long STOP_WAIT_MILLIS = 5_000;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    PushSettings settings;

    @Inject
    TransportSettings transport;

    @Inject
    SubscribeGate gate;

    @Inject
    ConnectionHub hub;

    @Inject
    PushStats stats;

    @Inject
    ClientAddresses addresses;

    private ListenerSettings listener;
    private SubscriberServer server;
    private Thread thread;

    /** The listener's address and limits; empty, after logging why, when the settings turn it off. */
    protected abstract Optional<ListenerSettings> listenerSettings(TransportSettings transport);

    /** Makes the protocol's socket of every accepted connection. */
    protected abstract SubscriberServer.SocketFactory sockets(PushSettings settings, TransportSettings transport,
            SubscribeGate gate, ConnectionHub hub, PushStats stats);

    @PostConstruct
    void start() {
        Optional<ListenerSettings> configured = listenerSettings(transport);
        if (configured.isEmpty()) {
            return;
        }
        listener = configured.get();
        try {
            server = SubscriberServer.listen(listener, sockets(settings, transport, gate, hub, stats), stats, addresses,
                    TlsContext.of(transport.tls(), listener.tlsName()).orElse(null));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot listen for " + listener.name() + " subscribers on "
                    + listener.bind() + " (" + listener.bindProperty() + ")", e);
        }
        thread = threads.newThread(server);
        thread.setName("push-" + listener.name().toLowerCase() + "-listener");
        thread.start();
        LOG.info(() -> "listening for " + listener.name() + " subscribers on " + listener.bind()
                + (transport.tls().on(listener.tlsName()) ? " (TLS)" : ""));
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
            LOG.warning("the " + listener.name() + " listener thread did not end within " + STOP_WAIT_MILLIS + " ms");
        } else {
            LOG.info(() -> "stopped listening for " + listener.name() + " subscribers on " + listener.bind());
        }
    }
}
