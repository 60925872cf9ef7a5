package io.pushcluster.web.nio;

import io.pushcluster.engine.config.HostPort;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.Refusal;
import io.pushcluster.web.guard.ClientAddresses;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A subscriber listener's selector loop: accepts sockets up to its cap, hands what they send to their
 * protocol, writes to those whose sockets drained, and closes those that have not subscribed 5 seconds
 * after connecting. {@link #run} serves on the calling thread until {@link #stop}, then closes every
 * socket.
 */
public final class SubscriberServer implements Runnable {

    /** Makes the socket of the listener's protocol for each accepted connection. */
    @FunctionalInterface
    public interface SocketFactory {
        SubscriberSocket open(SocketChannel channel, SelectionKey key, long subscribeDeadlineNanos,
                SubscriberServer server);
    }

    private static final Logger LOG = Logger.getLogger(SubscriberServer.class.getName());
    private static final long SUBSCRIBE_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int BACKLOG = 1024;
    /** Connections accepted per round, so that a flood of them does not hold up reading. */
    private static final int ACCEPTS_PER_ROUND = 64;
    /** Shared by every socket of the loop: a whole WebSocket handshake, or a decrypted TLS record. */
    private static final int READ_BUFFER_BYTES = 32 * 1024;
    /** How often sockets are checked against the listener's idle limit, when it has one. */
    private static final long IDLE_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ListenerSettings listener;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final SelectionKey acceptKey;
    private final SocketFactory sockets;
    private final PushStats stats;
    private final PeerRules peers;
    private final AtomicInteger open = new AtomicInteger();
    private final ArrayDeque<SubscriberSocket> awaitingSubscribe = new ArrayDeque<>();
    private final LingeringSockets lingering = new LingeringSockets();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private volatile boolean running = true;
    private long acceptPausedUntil;
    private boolean acceptPaused;
    private long nextIdleSweep;

    private SubscriberServer(ListenerSettings listener, Selector selector, ServerSocketChannel server,
            SocketFactory sockets, PushStats stats, ClientAddresses addresses, TlsContext tls) throws IOException {
        this.listener = listener;
        this.selector = selector;
        this.server = server;
        this.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        this.sockets = sockets;
        this.stats = stats;
        this.peers = new PeerRules(addresses, tls);
    }

    /** Binds the listener's address; {@link #run} then serves, with the address rules and TLS (none if null). */
    public static SubscriberServer listen(ListenerSettings listener, SocketFactory sockets, PushStats stats,
            ClientAddresses addresses, TlsContext tls) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            String host = HostPort.bare(listener.bindHost());
            server.bind(new InetSocketAddress(host, listener.bindPort()), BACKLOG);
            server.configureBlocking(false);
            return new SubscriberServer(listener, selector, server, sockets, stats, addresses, tls);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            closeQuietly(selector);
            throw e;
        }
    }

    /** Sockets open now, subscribed or not. */
    public int openConnections() {
        return open.get();
    }

    @Override
    public void run() {
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                selector.select(this::ready, timeoutMillis(System.nanoTime()));
                long now = System.nanoTime();
                closeOverdue(now);
                lingering.closeDue(now);
                closeIdle(now);
                resumeAccepting(now);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "the " + listener.name() + " listener failed and no longer serves subscribers", e);
        } finally {
            closeEverything();
        }
    }

    /** Makes {@link #run} close everything and return. */
    public void stop() {
        running = false;
        selector.wakeup();
    }

    /** Until the next subscribe deadline or the end of an accept pause; 0, no limit, when neither is pending. */
    private long timeoutMillis(long now) {
        long wait = Long.MAX_VALUE;
        SubscriberSocket first = awaitingSubscribe.peek();
        if (first != null) {
            wait = first.subscribeDeadlineNanos() - now;
        }
        if (acceptPaused) {
            wait = Math.min(wait, acceptPausedUntil - now);
        }
        wait = Math.min(wait, lingering.nextNanos(now));
        if (listener.idleNanos() > 0) {
            wait = Math.min(wait, IDLE_SWEEP_NANOS);
        }
        if (wait == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
    }

    private void ready(SelectionKey key) {
        if (key == acceptKey) {
            acceptSome();
            return;
        }
        SubscriberSocket socket = (SubscriberSocket) key.attachment();
        try {
            if (key.isReadable()) {
                socket.readable(readBuffer);
            }
            if (key.isValid() && key.isWritable()) {
                socket.writable();
                if (key.isValid() && socket.inputWaits()) {
                    socket.readable(readBuffer); // read before the output drained, not signalled again
                }
            }
        } catch (CancelledKeyException e) {
            socket.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing a " + listener.name() + " subscriber after an unexpected failure", e);
            socket.close();
        }
    }

    private void acceptSome() {
        for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
            SocketChannel channel = acceptOne();
            if (channel == null) {
                return;
            }
            if (open.get() >= listener.maxConnections()) {
                stats.refused(Refusal.LISTENER_FULL);
                closeQuietly(channel);
                continue;
            }
            PeerRules.Admitted admitted = peers.accept(channel, listener.subscribers());
            if (!admitted.accepted()) {
                closeQuietly(channel);
                continue;
            }
            try {
                register(channel, admitted.held());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "could not set up an accepted " + listener.name() + " connection", e);
                peers.release(admitted.held());
                closeQuietly(channel);
            }
        }
    }

    private SocketChannel acceptOne() {
        try {
            return server.accept();
        } catch (IOException e) {
            // most likely out of file descriptors: retrying at once would only spin on the same error
            LOG.log(Level.WARNING, "accepting a " + listener.name() + " connection failed; pausing accepts for 100 ms",
                    e);
            acceptKey.interestOps(0);
            acceptPaused = true;
            acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
            return null;
        }
    }

    private void resumeAccepting(long now) {
        if (acceptPaused && now - acceptPausedUntil >= 0) {
            acceptPaused = false;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /** The address rules and TLS of the listener's sockets. */
    PeerRules peers() {
        return peers;
    }

    private void register(SocketChannel channel, InetAddress held) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, listener.keepalive());
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        SubscriberSocket socket = sockets.open(channel, key, System.nanoTime() + SUBSCRIBE_DEADLINE_NANOS, this);
        socket.holding(held);
        key.attach(socket);
        open.incrementAndGet();
        awaitingSubscribe.add(socket);
    }

    /** A socket ended its stream and waits for its client to close, for a while; on any thread. */
    void linger(SubscriberSocket socket) {
        lingering.add(socket);
        selector.wakeup();
    }

    /** A socket closed, on whatever thread: the selector releases it at its next round. */
    void closed() {
        open.decrementAndGet();
        selector.wakeup();
    }

    /** Closes sockets still not subscribed at their deadline; they are queued in deadline order. */
    private void closeOverdue(long now) {
        SubscriberSocket first;
        while ((first = awaitingSubscribe.peek()) != null
                && (!first.awaitsSubscribe() || now - first.subscribeDeadlineNanos() >= 0)) {
            awaitingSubscribe.poll();
            if (first.awaitsSubscribe()) {
                first.close();
                first.closeNow();
            }
        }
    }

    /** Closes the sockets idle for longer than the listener allows, once a second. */
    private void closeIdle(long now) {
        if (listener.idleNanos() == 0 || now - nextIdleSweep < 0) {
            return;
        }
        nextIdleSweep = now + IDLE_SWEEP_NANOS;
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof SubscriberSocket socket) {
                long since = socket.idleSince();
                if (since != Long.MAX_VALUE && now - since > listener.idleNanos()) {
                    socket.close();
                }
            }
        }
    }

    private void closeEverything() {
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey key : keys) {
            if (key.attachment() instanceof SubscriberSocket socket) {
                socket.close();
                socket.closeNow();
            }
        }
        awaitingSubscribe.clear();
        lingering.clear();
        closeQuietly(server);
        closeQuietly(selector);
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing failed", e);
        }
    }
}
