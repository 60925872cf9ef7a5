package io.pushcluster.engine.cluster;

import io.pushcluster.api.PushFailedException;
import io.pushcluster.engine.connection.ConnectionHub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Who is online: the connections of keys now, counted by the members that own them (a subscriber is
 * connected to its key's owner only), and each member's own totals. A member asks the others over the
 * grid, each owner once however many of the keys it owns.
 */
@ApplicationScoped
public class Presence {

    /** How long an owner may take to count. */
    static final long ANSWER_MILLIS = 3_000;

    /** A member's totals: its connections and the keys they are of. */
    public record Totals(int connections, int keys) {
    }

    private Membership membership;
    private ConnectionHub hub;
    private OwnerRequests requests;

    protected Presence() {
    }

    @Inject
    public Presence(Membership membership, ConnectionHub hub, OwnerRequests requests) {
        this.membership = membership;
        this.hub = hub;
        this.requests = requests;
    }

    /** Answers other members' counts from now on; called as the application starts. */
    public void serveOtherMembers() {
        requests.serve(OwnerRequests.Service.PRESENCE, (request, reply) -> reply.accept(answer(request)));
    }

    /**
     * The connections of each key now, cluster-wide, in the order given.
     *
     * @throws PushFailedException when an owner did not answer in time
     */
    public Map<String, Integer> connectionsOf(List<String> keys) {
        ClusterView view = membership.view();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, List<String>> elsewhere = new HashMap<>();
        for (String key : keys) {
            String owner = view.ownerIdOf(key);
            if (owner == null || view.isLocal(owner)) {
                counts.put(key, hub.connectionsOf(key));
            } else {
                counts.put(key, 0);
                elsewhere.computeIfAbsent(owner, id -> new ArrayList<>()).add(key);
            }
        }
        Map<List<String>, CompletableFuture<byte[]>> asked = new HashMap<>();
        elsewhere.forEach((owner, owned) -> asked.put(owned,
                requests.ask(owner, OwnerRequests.Service.PRESENCE, encode(owned), ANSWER_MILLIS)));
        asked.forEach((owned, reply) -> {
            int[] answered = decode(await(reply), owned.size());
            for (int i = 0; i < owned.size(); i++) {
                counts.put(owned.get(i), answered[i]);
            }
        });
        return counts;
    }

    /** This member's totals. */
    public Totals local() {
        return new Totals(hub.connections(), hub.keys());
    }

    /**
     * A member's totals, asked over the grid unless it is this one.
     *
     * @throws PushFailedException when it did not answer in time
     */
    public Totals of(String memberId) {
        if (membership.view().isLocal(memberId)) {
            return local();
        }
        int[] totals = decode(await(requests.ask(memberId, OwnerRequests.Service.PRESENCE, encode(List.of()),
                ANSWER_MILLIS)), 2);
        return new Totals(totals[0], totals[1]);
    }

    /** The counts of the keys asked for, or this member's totals when none was. */
    private byte[] answer(byte[] request) {
        List<String> keys = decodeKeys(request);
        if (keys.isEmpty()) {
            Totals totals = local();
            return encode(new int[] {totals.connections(), totals.keys()});
        }
        int[] counts = new int[keys.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = hub.connectionsOf(keys.get(i));
        }
        return encode(counts);
    }

    private static byte[] await(CompletableFuture<byte[]> reply) {
        try {
            return reply.join();
        } catch (CompletionException e) {
            throw new PushFailedException("a member did not say who is online: " + e.getCause(), e.getCause());
        }
    }

    private static byte[] encode(List<String> keys) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + keys.size() * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            WireText.writeAll(out, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<String> decodeKeys(byte[] request) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(request))) {
            return WireText.readAll(in, request.length);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated presence request", e);
        }
    }

    private static byte[] encode(int[] counts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 + counts.length * 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(counts.length);
            for (int count : counts) {
                out.writeInt(count);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static int[] decode(byte[] reply, int expected) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply))) {
            int count = in.readInt();
            if (count != expected) {
                throw new PushFailedException("a member answered " + count + " counts for " + expected);
            }
            int[] counts = new int[count];
            for (int i = 0; i < count; i++) {
                counts[i] = in.readInt();
            }
            return counts;
        } catch (IOException e) {
            throw new PushFailedException("a member's presence answer was cut short", e);
        }
    }
}
