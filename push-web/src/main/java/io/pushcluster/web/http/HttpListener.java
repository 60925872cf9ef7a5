package io.pushcluster.web.http;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.subscribe.SubscribeGate;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.web.nio.ListenerSettings;
import io.pushcluster.web.nio.SubscriberListener;
import io.pushcluster.web.nio.SubscriberServer;
import io.pushcluster.web.rest.Endpoints;
import io.pushcluster.web.rest.AccessEndpoints;
import io.pushcluster.web.rest.GroupEndpoints;
import io.pushcluster.web.rest.Routes;
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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The HTTP listener of our own on {@code push.http.bind} (off when that is not set): gopush-cluster's
 * HTTP interface on a selector loop of its own, like the subscriber listeners', without Payara's
 * servlet, JAX-RS and EJB layers in between, for back ends that push at high rates. It answers the same endpoints as
 * Payara's port, with the same admin guard, through the same {@link Endpoints}. Requests that wait for
 * the store or the grid run on {@code push.http.workers} threads from the container; at most one
 * request per connection is in progress, so the connection cap bounds the work queued.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class HttpListener extends SubscriberListener {

    private static final Logger LOG = Logger.getLogger(HttpListener.class.getName());

    @Inject
    Endpoints endpoints;

    @Inject
    GroupEndpoints groups;

    @Inject
    AccessEndpoints access;

    @Resource
    ManagedThreadFactory workerThreads;

    private ThreadPoolExecutor workers;

    @Override
    protected Optional<ListenerSettings> listenerSettings(TransportSettings settings) {
        if (!settings.httpListenerEnabled()) {
            LOG.info(() -> "no HTTP listener of our own: " + TransportSettings.HTTP_BIND + " is off");
            return Optional.empty();
        }
        return Optional.of(new ListenerSettings("HTTP", TransportSettings.HTTP_BIND, settings.httpBind().host(),
                settings.httpBind().port(), settings.httpMaxConnections(), false,
                TimeUnit.SECONDS.toNanos(settings.httpIdleTimeoutSeconds()), false));
    }

    @Override
    protected SubscriberServer.SocketFactory sockets(PushSettings settings, TransportSettings transport,
            SubscribeGate gate, ConnectionHub hub, PushStats stats) {
        workers = new ThreadPoolExecutor(transport.httpWorkers(), transport.httpWorkers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), workerThreads);
        workers.allowCoreThreadTimeOut(true);
        // a table of its own, not the container's proxy of the shared one: every request asks it
        Routes routes = new Routes(endpoints, groups, access);
        int maxBody = endpoints.requestMaxBytes();
        ExecutorService pool = workers;
        return (channel, key, deadline, server) -> new HttpSocket(channel, key, deadline, server, settings, transport, routes,
                pool, maxBody);
    }

    @PreDestroy
    void stopWorkers() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
