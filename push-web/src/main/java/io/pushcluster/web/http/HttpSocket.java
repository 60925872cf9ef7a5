package io.pushcluster.web.http;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.web.nio.SubscriberServer;
import io.pushcluster.web.nio.ProxiedClients;
import io.pushcluster.web.nio.RawResponse;
import io.pushcluster.web.nio.SubscriberSocket;
import io.pushcluster.web.rest.Answer;
import io.pushcluster.web.rest.Routes;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;

/**
 * One keep-alive connection of the HTTP listener. Requests are answered one at a time and in order:
 * a request whose work waits (the store, the grid) goes to a worker, and the socket is not read
 * again until its reply is written, so a connection holds at most one request head and body, plus
 * what one read brought after it. Whichever thread answered the last request carries on with the
 * requests already received; only then is the socket read again.
 *
 * <p>A request that cannot be read safely is answered with its HTTP status and the connection ends.
 * Within a request, every error is the protocol's JSON reply (HTTP 200), as on Payara's port.
 */
final class HttpSocket extends SubscriberSocket {

    private static final Logger LOG = Logger.getLogger(HttpSocket.class.getName());
    private static final byte[] NOTHING = new byte[0];
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final PushSettings settings;
    private final TransportSettings transport;
    private final Routes routes;
    private final Executor workers;
    private final int maxBody;
    /** Whether the client is on a loopback address: what admin requests need when no credential is set. */
    private final boolean peerLoopback;
    /** Bytes received and not yet answered: the start of the next request, at most one request and one read. */
    private volatile byte[] held = NOTHING;
    private volatile int heldLength;
    /** A request is being answered: the socket is not read. */
    private volatile boolean busy;
    private volatile boolean continueSent;
    /** Reply bytes the socket did not take yet, and whether the connection ends after them. */
    private volatile ByteBuffer unsent;
    private volatile boolean closeAfterUnsent;
    /** When the last request was answered (or the socket accepted), while no request is under way. */
    private volatile long quietSince = System.nanoTime();

    HttpSocket(SocketChannel channel, SelectionKey selectionKey, long firstRequestDeadlineNanos, SubscriberServer server,
            PushSettings settings, TransportSettings transport, Routes routes, Executor workers, int maxBody) {
        super(channel, selectionKey, firstRequestDeadlineNanos, server);
        this.settings = settings;
        this.transport = transport;
        this.routes = routes;
        this.workers = workers;
        this.maxBody = maxBody;
        InetAddress peer = peer();
        this.peerLoopback = peer != null && peer.isLoopbackAddress();
    }

    @Override
    protected void received(ByteBuffer input) {
        quietSince = System.nanoTime();
        hold(input);
        serve();
    }

    /** Idle: nothing under way and nothing received since {@link #quietSince}. */
    @Override
    protected long idleSince() {
        return busy ? Long.MAX_VALUE : quietSince;
    }

    private void hold(ByteBuffer input) {
        int needed = heldLength + input.remaining();
        if (needed > held.length) {
            held = Arrays.copyOf(held, Math.max(needed, Math.min(2 * held.length, transport.httpHeadMaxBytes() + maxBody)));
        }
        input.get(held, heldLength, input.remaining());
        heldLength = needed;
    }

    /** Answers the requests held, in order, until one goes to a worker or more bytes are needed. */
    private void serve() {
        while (!busy && !isClosed()) {
            HttpRequest request;
            try {
                request = HttpRequest.head(held, heldLength, transport.httpHeadMaxBytes(), maxBody);
            } catch (HttpRefusal e) {
                LOG.fine(() -> "refusing an HTTP request (" + e.status() + "): " + e.getMessage());
                refuseWith(e.status(), e.getMessage());
                return;
            }
            if (request == null) {
                return;
            }
            if (heldLength < request.length()) {
                if (request.expectsContinue() && !continueSent) {
                    continueSent = true;
                    respond(ByteBuffer.wrap(CONTINUE), false);
                }
                return;
            }
            request.body(held);
            release(request.length());
            continueSent = false;
            settled();
            dispatch(request);
        }
    }

    private void release(int length) {
        int rest = heldLength - length;
        if (rest == 0) {
            held = NOTHING;
        } else {
            System.arraycopy(held, length, held, 0, rest);
        }
        heldLength = rest;
    }

    private void dispatch(HttpRequest request) {
        boolean loopbackClient = peerLoopback;
        if (request.forwarded()) {
            InetAddress client = ProxiedClients.client(this, request::headers);
            if (!ProxiedClients.admit(this, client, false)) {
                respond(ByteBuffer.wrap(RawResponse.text(403, "Forbidden", Map.of(), "Forbidden\n",
                        request.keepAlive())), !request.keepAlive());
                return;
            }
            loopbackClient = client != null && client.isLoopbackAddress();
        }
        Routes.Route route = routes.find(request.path());
        Optional<Routes.Refusal> refusal = Routes.refusal(route, request.method(), settings.adminCredential(),
                request.header("authorization"), loopbackClient);
        if (refusal.isPresent()) {
            Routes.Refusal refused = refusal.get();
            respond(ByteBuffer.wrap(RawResponse.text(refused.status(), refused.reason(), refused.headers(),
                    refused.text(), request.keepAlive())), !request.keepAlive());
            return;
        }
        ListenerRequest routed = new ListenerRequest(request, transport);
        if (route.inline().test(routed)) {
            respond(answer(route, routed), !request.keepAlive());
            return;
        }
        busy = true;
        awaitReadable(false);
        try {
            workers.execute(() -> {
                if (respond(answer(route, routed), !request.keepAlive())) {
                    carryOn();
                }
            });
        } catch (RejectedExecutionException e) {
            // the listener is stopping
            close();
        }
    }

    private ByteBuffer answer(Routes.Route route, ListenerRequest routed) {
        Answer answer = route.answer(routed);
        return ByteBuffer.wrap(RawResponse.of(200, "OK", Map.of(), answer.contentType(),
                answer.body().getBytes(StandardCharsets.UTF_8), routed.request().keepAlive()));
    }

    /**
     * Writes a reply; true when the socket took all of it. Otherwise the rest is written when the
     * socket drains, and the connection is not read until then.
     */
    private boolean respond(ByteBuffer reply, boolean closeAfter) {
        if (!write(reply)) {
            return false;
        }
        if (!reply.hasRemaining()) {
            if (closeAfter) {
                close();
                return false;
            }
            return true;
        }
        if (!busy) {
            busy = true;
            awaitReadable(false);
        }
        unsent = reply;
        closeAfterUnsent = closeAfter;
        awaitWritable(true);
        return false;
    }

    @Override
    protected void drained() {
        ByteBuffer rest = unsent;
        if (rest == null) {
            awaitWritable(false);
            return;
        }
        if (!write(rest) || rest.hasRemaining()) {
            return;
        }
        unsent = null;
        awaitWritable(false);
        if (closeAfterUnsent) {
            close();
            return;
        }
        carryOn();
    }

    /** After a reply that made the connection wait: the requests held, then the socket again. */
    private void carryOn() {
        quietSince = System.nanoTime();
        busy = false;
        serve();
        if (!busy && !isClosed()) {
            awaitReadable(true);
        }
    }

    /** Answers a request that cannot be read and ends the connection. */
    private void refuseWith(int status, String why) {
        held = NOTHING;
        heldLength = 0;
        refuse(RawResponse.text(status, reason(status), Map.of(), why + "\n", false));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }
}
