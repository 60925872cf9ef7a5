package io.pushcluster.engine.cluster;

import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.FailureLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Requests to another member and their replies, over the {@link Grid}: what a member uses to have a
 * key's owner do a push, since the owner alone puts a key's pushes in order. The bytes asked and
 * answered are the caller's; this only carries them, matches each reply to its request, and ends a
 * request when its time is up or its member leaves the cluster, whichever comes first.
 *
 * <p>Requests and replies travel beside {@link ForwardedPush}es on each member's channel; the first
 * byte of each payload tells them apart.
 */
@ApplicationScoped
public class OwnerRequests {

    static final int REQUEST = 2;
    static final int REPLY = 3;

    private static final Logger LOG = Logger.getLogger(OwnerRequests.class.getName());

    /** What a member answers with: handed the request and a way to reply, once, on any thread. */
    public interface Handler {
        void handle(byte[] request, Consumer<byte[]> reply);
    }

    /** What a request asks for; each has the handler of its own. */
    public enum Service {
        /** Do a push as the owner of its keys. */
        PUSH,
        /** Count the connections of keys, or of this member. */
        PRESENCE,
        /** Kick, ban or unban a key, deny or allow an address, on this member ({@link AccessControls}). */
        ACCESS
    }

    private Grid grid;
    private final AtomicLong lastId = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final FailureLog failures = new FailureLog(LOG);
    private final Map<Service, Handler> handlers = new EnumMap<>(Service.class);

    private record Pending(String memberId, CompletableFuture<byte[]> reply) {
    }

    protected OwnerRequests() {
    }

    @Inject
    public OwnerRequests(Grid grid) {
        this.grid = grid;
    }

    /** Answers the push requests of other members from now on. */
    public void serve(Handler requests) {
        serve(Service.PUSH, requests);
    }

    /** Answers the requests of other members for this service from now on. */
    public synchronized void serve(Service service, Handler requests) {
        handlers.put(service, requests);
    }

    /**
     * Sends a request to a member.
     *
     * @return the reply; failed with {@link MemberGoneException} when the member is not (or no longer)
     *     in the cluster, or with a {@link java.util.concurrent.TimeoutException} after the time-out
     */
    public CompletableFuture<byte[]> ask(String memberId, byte[] request, long timeoutMillis) {
        return ask(memberId, Service.PUSH, request, timeoutMillis);
    }

    /** As {@link #ask(String, byte[], long)}, for a service. */
    public CompletableFuture<byte[]> ask(String memberId, Service service, byte[] request, long timeoutMillis) {
        long id = lastId.incrementAndGet();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        pending.put(id, new Pending(memberId, reply));
        reply.whenComplete((bytes, failure) -> pending.remove(id));
        reply.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            grid.send(memberId, frame(REQUEST, id, grid.localId(), service, request));
        } catch (RuntimeException e) {
            reply.completeExceptionally(new MemberGoneException(memberId, false, e));
        }
        return reply;
    }

    /** Fails the requests waiting for members not among these; they will not answer. */
    public void keepOnly(Collection<String> liveMemberIds) {
        pending.values().forEach(waiting -> {
            if (!liveMemberIds.contains(waiting.memberId())) {
                waiting.reply().completeExceptionally(new MemberGoneException(waiting.memberId(), true, null));
            }
        });
    }

    /** Whether the payload is a request or a reply, rather than something else sent on the channel. */
    static boolean carries(byte[] payload) {
        return payload.length > 0 && (payload[0] == REQUEST || payload[0] == REPLY);
    }

    /** A request or reply from the channel; on a grid thread. */
    void received(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int kind = in.readUnsignedByte();
            long id = in.readLong();
            String from = kind == REQUEST ? WireText.read(in, payload.length) : null;
            Service service = kind == REQUEST ? Service.values()[in.readUnsignedByte()] : null;
            byte[] body = in.readNBytes(payload.length);
            if (kind == REPLY) {
                Pending waiting = pending.get(id);
                if (waiting != null) {
                    waiting.reply().complete(body);
                }
            } else {
                answer(from, id, service, body);
            }
        } catch (IOException | RuntimeException e) {
            failures.log("reading a request or reply from another member", e);
        }
    }

    private void answer(String from, long id, Service service, byte[] request) {
        Handler requests;
        synchronized (this) {
            requests = handlers.get(service);
        }
        if (requests == null) {
            LOG.fine(() -> "a " + service + " request from member " + from + " arrived before this member serves any");
            return;
        }
        requests.handle(request, reply -> {
            try {
                grid.send(from, frame(REPLY, id, null, null, reply));
            } catch (RuntimeException e) {
                failures.log("replying to member " + from, e);
            }
        });
    }

    private static byte[] frame(int kind, long id, String from, Service service, byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            out.writeLong(id);
            if (from != null) {
                WireText.write(out, from);
                out.writeByte(service.ordinal());
            }
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The member a request went to is not in the cluster (any more). */
    public static final class MemberGoneException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final boolean sent;

        MemberGoneException(String memberId, boolean sent, Throwable cause) {
            super("member " + memberId + " is not in the cluster", cause);
            this.sent = sent;
        }

        /**
         * Whether the request had been sent: if so, the member may have done it before it left;
         * if not, nothing was done and asking again elsewhere is safe.
         */
        public boolean sent() {
            return sent;
        }
    }
}
