package io.pushcluster.web.socket.listener;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.subscribe.SubscriberSession;
import io.pushcluster.web.nio.ProxiedClients;
import io.pushcluster.web.nio.SubscriberServer;
import io.pushcluster.web.nio.RequestHead;
import io.pushcluster.web.nio.SubscriberSocket;
import io.pushcluster.engine.subscribe.Subscriptions;
import io.pushcluster.web.socket.HandshakeRefusal;
import io.pushcluster.web.socket.SubscriberFrames;
import io.pushcluster.web.socket.UpgradeRequest;
import io.pushcluster.web.socket.WebSocketFraming;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * One accepted socket of the WebSocket listener: reads the upgrade request, answers it and subscribes
 * with its parameters, then reads the client's frames. Until upgraded it holds at most the part of the
 * request head that has arrived; once upgraded, only the state of the frame it is reading.
 */
final class WebSocketSubscriber extends SubscriberSocket {

    private static final Logger LOG = Logger.getLogger(WebSocketSubscriber.class.getName());
    private static final byte[] NOTHING = new byte[0];

    private final PushSettings settings;
    private final TransportSettings transport;
    private final Subscriptions subscriptions;
    /** The request head while it arrives in pieces; null when none is pending. */
    private byte[] partialHead;
    /** The client's frames once upgraded; null until then. */
    private SubscriberFrames frames;

    WebSocketSubscriber(SocketChannel channel, SelectionKey selectionKey, long subscribeDeadlineNanos,
            SubscriberServer server, PushSettings settings, TransportSettings transport, Subscriptions subscriptions) {
        super(channel, selectionKey, subscribeDeadlineNanos, server);
        this.settings = settings;
        this.transport = transport;
        this.subscriptions = subscriptions;
    }

    @Override
    protected void received(ByteBuffer input) {
        if (frames == null && !upgrade(input)) {
            return;
        }
        readFrames(input);
    }

    /** Whether the client is subscribed now, with any bytes that followed its request left in the input. */
    private boolean upgrade(ByteBuffer input) {
        UpgradeRequest request;
        try {
            byte[] head = takeHead(input);
            if (head == null) {
                return false;
            }
            request = UpgradeRequest.parse(head, head.length, transport.origins());
        } catch (HandshakeRefusal e) {
            LOG.fine(() -> "refusing a WebSocket handshake (" + e.status() + "): " + e.getMessage());
            refuse(e.response());
            return false;
        }
        if (!ProxiedClients.admit(this, ProxiedClients.client(this, request::forwarding), true)) {
            refuse(HandshakeRefusal.forbidden().response());
            return false;
        }
        if (!writeNow(ByteBuffer.wrap(request.switchingProtocols()))) {
            close();
            return false;
        }
        frames = new SubscriberFrames();
        subscriptions.subscribe(request.subscribeRequest(settings), this);
        return connection() != null && !isClosed();
    }

    /**
     * The whole request head once it has arrived, leaving what follows it in the input; null while
     * more is to come.
     */
    private byte[] takeHead(ByteBuffer input) throws HandshakeRefusal {
        int limit = transport.webSocketHandshakeMaxBytes();
        byte[] before = partialHead == null ? NOTHING : partialHead;
        int taken = Math.min(input.remaining(), limit - before.length);
        byte[] head = Arrays.copyOf(before, before.length + taken);
        input.get(input.position(), head, before.length, taken);
        int end = RequestHead.end(head, before.length, head.length);
        if (end < 0) {
            input.position(input.position() + taken);
            if (head.length >= limit) {
                throw HandshakeRefusal.badRequest("a request head longer than " + limit + " bytes");
            }
            partialHead = head;
            return null;
        }
        input.position(input.position() + end - before.length);
        partialHead = null;
        return end == head.length ? head : Arrays.copyOf(head, end);
    }

    private void readFrames(ByteBuffer input) {
        frames.read(input, connection());
    }
}
