package io.pushcluster.web.nio;

import io.pushcluster.engine.subscribe.SubscriberSession;
import io.pushcluster.engine.subscribe.Transport;
import io.pushcluster.web.guard.ClientAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One accepted socket of a subscriber listener, from its subscribe request to its close. The
 * protocol's subclass reads the request and, once subscribed, the heartbeats; reads run on the
 * selector thread, and the socket may be closed from any thread.
 *
 * <p>A refused client gets its reply and the end of the stream, and what it still sends is read and
 * dropped until it closes (or its subscribe deadline passes): closing at once, with its bytes unread,
 * would reset the connection, and the client could lose the reply. A subscribed connection the server
 * closes is ended the same way: its last bytes, the end of the stream, then what the client still sends
 * is dropped until it closes too or {@link SubscriberServer} gives up waiting (a lingering close).
 */
public abstract class SubscriberSocket implements Transport {

    private static final AtomicIntegerFieldUpdater<SubscriberSocket> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(SubscriberSocket.class, "closed");

    private final SocketChannel channel;
    private final Wire wire;
    private final SelectionKey selectionKey;
    private final long subscribeDeadlineNanos;
    private final SubscriberServer server;
    /** 0 open; {@link #LINGERING} after the server's end of the stream; {@link #CLOSED_NOW} once the socket is closed. */
    private volatile int closed;
    private static final int LINGERING = 1;
    private static final int CLOSED_NOW = 2;
    private volatile SubscriberSession connection;
    private volatile boolean settled;
    private boolean refused;
    /** The client address this connection is counted against ({@code push.limit.connections-per-ip}), or null. */
    private volatile InetAddress held;
    private final WriteInterest writes;

    protected SubscriberSocket(SocketChannel channel, SelectionKey selectionKey, long subscribeDeadlineNanos,
            SubscriberServer server) {
        this.channel = channel;
        this.wire = server.peers().wireFor(channel);
        this.selectionKey = selectionKey;
        this.writes = new WriteInterest(selectionKey);
        this.subscribeDeadlineNanos = subscribeDeadlineNanos;
        this.server = server;
    }

    /**
     * Acts on bytes that arrived, on the selector thread. The buffer is the selector's, shared by every
     * socket: what this leaves in it is dropped.
     */
    protected abstract void received(ByteBuffer input);

    /** Reads what arrived into the buffer and acts on it; only drops it once the server ended the stream. */
    final void readable(ByteBuffer buffer) {
        do {
            buffer.clear();
            int read;
            try {
                read = wire.read(buffer);
            } catch (IOException e) {
                read = -1;
            }
            if (read < 0) {
                // the client is gone or done: nothing is left to linger for
                close();
                closeNow();
                return;
            }
            interestInWrites();
            buffer.flip();
            if (!refused && closed == 0) {
                received(buffer);
            }
        } while (wire.buffered() && closed == 0);
    }

    final long subscribeDeadlineNanos() {
        return subscribeDeadlineNanos;
    }

    /** The hub's connection once subscribed, else null. */
    protected final SubscriberSession connection() {
        return connection;
    }

    @Override
    public final void subscribed(SubscriberSession subscribed) {
        connection = subscribed;
    }

    /** Open, not yet subscribed, and not {@link #settled}. */
    final boolean awaitsSubscribe() {
        return connection == null && !settled && closed == 0;
    }

    /**
     * The client sent what a protocol without subscriptions (HTTP) waits for: the subscribe deadline
     * no longer applies.
     */
    protected final void settled() {
        settled = true;
    }

    @Override
    public final boolean isClosed() {
        return closed != 0;
    }

    /** Bytes already read wait to be acted on (see {@link Wire#buffered}). */
    final boolean inputWaits() {
        return wire.buffered();
    }

    final void writable() {
        try {
            if (!wire.flush()) {
                return;
            }
        } catch (IOException e) {
            close();
            return;
        }
        interestInWrites();
        if (!writes.asked()) {
            return;
        }
        SubscriberSession subscribed = connection;
        if (subscribed != null) {
            subscribed.writable();
        } else {
            drained();
        }
    }

    /**
     * Since when the socket has been idle, for listeners with an idle limit; {@link Long#MAX_VALUE}
     * while it is not idle. Called on the selector thread.
     */
    protected long idleSince() {
        return Long.MAX_VALUE;
    }

    /**
     * The socket takes more bytes, for a socket that is not subscribed and asked with
     * {@link #awaitWritable}; on the selector thread.
     */
    protected void drained() {
    }

    /**
     * Writes what the socket takes at once, for the few bytes of a reply to a socket that has nothing
     * else to send; false when it did not take them all.
     */
    protected final boolean writeNow(ByteBuffer bytes) {
        try {
            wire.write(bytes);
            interestInWrites();
            return !bytes.hasRemaining();
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends a refused client its last bytes and ends the stream; on the selector thread. */
    @Override
    public final void refuse(byte[] reply) {
        writeNow(ByteBuffer.wrap(reply));
        try {
            wire.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        refused = true;
    }

    /**
     * Writes what the socket takes now; false when it failed, and the socket is then closed.
     */
    protected final boolean write(ByteBuffer bytes) {
        try {
            wire.write(bytes);
            interestInWrites();
            return true;
        } catch (IOException e) {
            close();
            return false;
        }
    }

    /** Counts this connection against the client's address until it closes; null for none. */
    final void holding(InetAddress client) {
        held = client;
    }

    /** The peer's IP address; null when the socket no longer knows it. */
    protected final InetAddress peer() {
        return PeerRules.peerOf(channel);
    }

    /** The address rules of the socket's listener, or null for none. */
    final ClientAddresses addresses() {
        return server.peers().addresses();
    }

    /** Whether the connection is counted against a client address already. */
    final boolean holding() {
        return held != null;
    }

    /** Asks the selector thread to read from the socket again, or to stop reading it until asked. */
    protected final void awaitReadable(boolean await) {
        try {
            if (await) {
                selectionKey.interestOpsOr(SelectionKey.OP_READ);
                selectionKey.selector().wakeup();
            } else {
                selectionKey.interestOpsAnd(~SelectionKey.OP_READ);
            }
        } catch (CancelledKeyException e) {
            close();
        }
    }

    @Override
    public final void writeSome(ByteBuffer bytes) throws IOException {
        wire.write(bytes);
        interestInWrites();
    }

    /** Asks the selector thread to call {@link #writable} once the socket takes more, or stops asking. */
    @Override
    public final void awaitWritable(boolean await) {
        if (!writes.ask(await, wire)) {
            close();
        }
    }

    private void interestInWrites() {
        if (!writes.update(wire)) {
            close();
        }
    }

    /** Closes the socket, leaving the hub first when subscribed. */
    public final void close() {
        SubscriberSession subscribed = connection;
        if (subscribed != null) {
            subscribed.close();
        } else {
            closeTransport();
        }
    }

    /**
     * Ends the stream after what was written, then lingers: the socket is closed once the client closes
     * too, or when the server stops waiting, so that bytes it still sends do not reset the connection
     * before it read the last ones. On any thread.
     */
    @Override
    public final void closeTransport() {
        if (CLOSED.compareAndSet(this, 0, LINGERING)) {
            try {
                wire.shutdownOutput();
                selectionKey.interestOps(SelectionKey.OP_READ);
                server.linger(this);
            } catch (IOException | RuntimeException e) {
                closeNow();
            }
        }
    }

    /** Closes the socket now, lingering or not; on any thread. */
    final void closeNow() {
        int was = closed;
        while (was != CLOSED_NOW) {
            if (CLOSED.compareAndSet(this, was, CLOSED_NOW)) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing is left to release
                }
                server.peers().release(held);
                server.closed();
                return;
            }
            was = closed;
        }
    }
}
