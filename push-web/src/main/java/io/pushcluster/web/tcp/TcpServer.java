package io.pushcluster.web.tcp;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.stats.PushStats;
import java.io.Closeable;
import java.io.IOException;
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
 * The TCP listener's selector loop: accepts subscribers, reads their commands and heartbeats, writes
 * to those whose sockets drained, and closes those that have not sent their command 5 seconds after
 * connecting. {@link #run} serves on the calling thread until {@link #stop}, then closes every socket.
 */
final class TcpServer implements Runnable {

    private static final Logger LOG = Logger.getLogger(TcpServer.class.getName());
    private static final long COMMAND_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int BACKLOG = 1024;
    /** Connections accepted per round, so that a flood of them does not hold up reading. */
    private static final int ACCEPTS_PER_ROUND = 64;
    /** Subscribers send one-byte heartbeats; a command may take a few reads of this. */
    private static final int READ_BUFFER_BYTES = 4096;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final SelectionKey acceptKey;
    private final SubscribeCommand command;
    private final PushStats stats;
    private final boolean keepalive;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final ArrayDeque<TcpSubscriber> awaitingCommand = new ArrayDeque<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private volatile boolean running = true;
    private long acceptPausedUntil;
    private boolean acceptPaused;

    private TcpServer(Selector selector, ServerSocketChannel server, PushSettings settings, SubscribeCommand command,
            PushStats stats) throws IOException {
        this.selector = selector;
        this.server = server;
        this.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        this.command = command;
        this.stats = stats;
        this.keepalive = settings.tcpKeepalive();
        this.maxConnections = settings.tcpMaxConnections();
    }

    /** Binds {@code push.tcp.bind}; {@link #run} then serves. */
    static TcpServer listen(PushSettings settings, SubscribeCommand command, PushStats stats) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            String host = settings.tcpBindHost().replace("[", "").replace("]", "");
            server.bind(new InetSocketAddress(host, settings.tcpBindPort()), BACKLOG);
            server.configureBlocking(false);
            return new TcpServer(selector, server, settings, command, stats);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            closeQuietly(selector);
            throw e;
        }
    }

    /** Sockets open now, subscribed or not. */
    int openConnections() {
        return open.get();
    }

    @Override
    public void run() {
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                selector.select(this::ready, timeoutMillis(System.nanoTime()));
                long now = System.nanoTime();
                closeOverdue(now);
                resumeAccepting(now);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "the TCP listener failed and no longer serves TCP subscribers", e);
        } finally {
            closeEverything();
        }
    }

    /** Makes {@link #run} close everything and return. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    /** Until the next command deadline or the end of an accept pause; 0, no limit, when neither is pending. */
    private long timeoutMillis(long now) {
        long wait = Long.MAX_VALUE;
        TcpSubscriber first = awaitingCommand.peek();
        if (first != null) {
            wait = first.commandDeadlineNanos() - now;
        }
        if (acceptPaused) {
            wait = Math.min(wait, acceptPausedUntil - now);
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
        TcpSubscriber subscriber = (TcpSubscriber) key.attachment();
        try {
            if (key.isReadable()) {
                subscriber.readable(readBuffer);
            }
            if (key.isValid() && key.isWritable()) {
                subscriber.writable();
            }
        } catch (CancelledKeyException e) {
            subscriber.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing a TCP subscriber after an unexpected failure", e);
            subscriber.close();
        }
    }

    private void acceptSome() {
        for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
            SocketChannel channel = acceptOne();
            if (channel == null) {
                return;
            }
            if (open.get() >= maxConnections) {
                stats.connectionRefused();
                closeQuietly(channel);
                continue;
            }
            try {
                register(channel);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "could not set up an accepted TCP connection", e);
                closeQuietly(channel);
            }
        }
    }

    private SocketChannel acceptOne() {
        try {
            return server.accept();
        } catch (IOException e) {
            // most likely out of file descriptors: retrying at once would only spin on the same error
            LOG.log(Level.WARNING, "accepting a TCP connection failed; pausing accepts for 100 ms", e);
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

    private void register(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, keepalive);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        TcpSubscriber subscriber = new TcpSubscriber(channel, key, System.nanoTime() + COMMAND_DEADLINE_NANOS,
                command, this::closed);
        key.attach(subscriber);
        open.incrementAndGet();
        awaitingCommand.add(subscriber);
    }

    /** A socket closed, on whatever thread: the selector releases it at its next round. */
    private void closed() {
        open.decrementAndGet();
        selector.wakeup();
    }

    /** Closes subscribers still without a command at their deadline; they are queued in deadline order. */
    private void closeOverdue(long now) {
        TcpSubscriber first;
        while ((first = awaitingCommand.peek()) != null
                && (!first.awaitsCommand() || now - first.commandDeadlineNanos() >= 0)) {
            awaitingCommand.poll();
            if (first.awaitsCommand()) {
                first.close();
            }
        }
    }

    private void closeEverything() {
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey key : keys) {
            if (key.attachment() instanceof TcpSubscriber subscriber) {
                subscriber.close();
            }
        }
        awaitingCommand.clear();
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
