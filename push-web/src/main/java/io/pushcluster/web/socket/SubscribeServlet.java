package io.pushcluster.web.socket;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.subscribe.SubscribeGate;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.TransportKind;
import io.pushcluster.engine.subscribe.Subscriptions;
import io.pushcluster.web.guard.ClientAddressFilter;
import io.pushcluster.web.guard.ClientAddresses;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ws://host:port/sub?key=K&heartbeat=S&token=T&ver=V} on Payara's HTTP port: gopush-cluster's
 * WebSocket subscribe. The handshake is checked here, by the rules of the WebSocket listener of our
 * own, and the upgraded connection then speaks the same frames through {@link UpgradedSubscriber}.
 * Tyrus is not used: a frame announcing a huge length could make it allocate that much, it accepted
 * unmasked frames, and upgraded requests it could not parse without ever answering them.
 */
@WebServlet(urlPatterns = "/sub", loadOnStartup = 1)
public class SubscribeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient PushSettings settings;

    @Inject
    transient TransportSettings transport;

    @Inject
    transient SubscribeGate gate;

    @Inject
    transient ConnectionHub hub;

    @Inject
    transient PushStats stats;

    @Inject
    transient ClientAddresses addresses;

    private transient Subscriptions subscriptions;
    private final AtomicInteger open = new AtomicInteger();

    @Override
    public void init() {
        subscriptions = new Subscriptions(settings, gate, hub, stats, new WebSocketFraming(), TransportKind.SUB);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            if (!"GET".equals(request.getMethod())) {
                throw HandshakeRefusal.methodNotAllowed();
            }
            UpgradeRequest upgrade = UpgradeRequest.check(name -> Collections.list(request.getHeaders(name)),
                    request.getQueryString(), transport.origins());
            InetAddress client = ClientAddressFilter.clientOf(request);
            if (!addresses.hold(client)) {
                throw HandshakeRefusal.forbidden();
            }
            Runnable closed = () -> {
                open.decrementAndGet();
                addresses.release(client);
            };
            if (open.incrementAndGet() > transport.subMaxConnections()) {
                closed.run();
                throw HandshakeRefusal.unavailable();
            }
            response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
            response.setHeader("Upgrade", "websocket");
            response.setHeader("Connection", "Upgrade");
            response.setHeader("Sec-WebSocket-Accept", UpgradeRequest.accept(upgrade.webSocketKey()));
            UpgradedSubscriber subscriber;
            try {
                subscriber = request.upgrade(UpgradedSubscriber.class);
            } catch (ServletException | RuntimeException e) {
                closed.run();
                throw e;
            }
            subscriber.prepare(upgrade.subscribeRequest(settings), subscriptions, closed);
        } catch (HandshakeRefusal e) {
            response.setStatus(e.status());
            e.headers().forEach(response::setHeader);
            response.setHeader("Connection", "close");
            response.setContentLength(0);
        }
    }
}
