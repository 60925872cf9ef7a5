package io.pushcluster.web.nio;

import io.pushcluster.engine.cluster.AccessControls;
import io.pushcluster.web.config.TransportSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.OwnerRequests;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.subscribe.SubscribeGate;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A subscriber listener serving on a thread of the test, on a free port of loopback, with the real
 * engine parts behind it (hub, subscribe gate, tokens, membership over the given grid); no server.
 */
public final class RunningListener implements AutoCloseable {

    private final PushStats stats = new PushStats();
    private final ConnectionHub hub;
    private final Tokens tokens;
    private final AccessControls access;
    private final Membership membership;
    private final SubscriberServer server;
    private final Thread thread;
    private final int port;

    /**
     * @param bindProperty the setting that names the listener's address, given a free port here
     */
    public RunningListener(SubscriberListener listener, String bindProperty, Map<String, String> values, Grid grid)
            throws IOException {
        port = freePort();
        Map<String, String> all = new HashMap<>(values);
        all.put(bindProperty, "127.0.0.1:" + port);
        PushSettings settings = new PushSettings(name -> Optional.ofNullable(all.get(name)));
        TransportSettings transport = new TransportSettings(name -> Optional.ofNullable(all.get(name)));
        hub = new ConnectionHub(settings, stats);
        tokens = new Tokens(settings);
        membership = new Membership(settings, grid);
        membership.follow(Runnable::run, () -> { });
        membership.enter();
        access = new AccessControls(settings, grid, membership, hub, new OwnerRequests(grid));
        SubscribeGate gate = new SubscribeGate(settings, membership, tokens, access);
        ListenerSettings listening = listener.listenerSettings(transport).orElseThrow();
        server = SubscriberServer.listen(listening, listener.sockets(settings, transport, gate, hub, stats), stats, null,
                TlsContext.of(transport.tls(), listening.tlsName()).orElse(null));
        thread = new Thread(server, "listener-test");
        thread.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public PushStats stats() {
        return stats;
    }

    public ConnectionHub hub() {
        return hub;
    }

    public AccessControls access() {
        return access;
    }

    public Tokens tokens() {
        return tokens;
    }

    public Membership membership() {
        return membership;
    }

    public SubscriberServer server() {
        return server;
    }

    /** Waits (2 s at most) until the hub holds that many connections, and checks it does. */
    public void awaitConnections(int count) throws InterruptedException {
        for (int i = 0; i < 100 && hub.connections() != count; i++) {
            Thread.sleep(20);
        }
        assertEquals(count, hub.connections());
    }

    /** Waits (2 s at most) until no socket is open, subscribed or not; returns how many still are. */
    public int awaitNoneOpen() throws InterruptedException {
        for (int i = 0; i < 100 && server.openConnections() > 0; i++) {
            Thread.sleep(20);
        }
        return server.openConnections();
    }

    /**
     * Pushes 100 KB messages to the key's one subscriber, which does not read, until the hub drops it
     * (1,000 at most), and checks it did.
     */
    public void pushUntilDisconnected(String key) {
        String big = "\"" + "x".repeat(100_000) + "\"";
        for (int i = 0; i < 1_000 && hub.connectionsOf(key) == 1; i++) {
            hub.deliver(key, new PushedMessage(i + 1, PushedMessage.PRIVATE, big));
        }
        assertEquals(0, hub.connectionsOf(key));
    }

    /** Stops the listener and waits (5 s at most) for its thread; whether it ended. */
    public boolean stop() throws InterruptedException {
        server.stop();
        thread.join(5_000);
        return !thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Reads until the server ends the stream, within the socket's timeout; false when it did not. */
    public static boolean closedByServer(InputStream in) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try {
            while (in.read(chunk) != -1) {
                // discard what was still on its way
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
