package io.pushcluster.engine.cluster;

import io.pushcluster.api.PushFailedException;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.Ending;
import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.grid.SoloGrid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Kicks, bans and denied client addresses, cluster-wide. Bans and denied addresses are
 * {@link Blocklist}s (shared, mirrored on every member). A change is made in the shared map, then every
 * member is told: it applies the change to its mirror, ends the key's connections it holds (telling
 * each subscriber why), and answers how many. The call returns once every member answered, so that no
 * member accepts a banned key's subscribe (or a denied address) after it, or refuses a lifted one.
 * What an address entry means (a CIDR block) is the web tier's business; here it is text.
 */
@ApplicationScoped
public class AccessControls {

    /** How long a member may take to answer. */
    static final long ANSWER_MILLIS = 3_000;
    static final String BANS = "push.bans";
    static final String DENIED = "push.ip.deny";

    private enum Change { KICK, BAN, UNBAN, DENY, ALLOW }

    private Membership membership;
    private ConnectionHub hub;
    private OwnerRequests requests;
    private Blocklist bans;
    private Blocklist denied;

    protected AccessControls() {
    }

    @Inject
    public AccessControls(PushSettings settings, Grid grid, Membership membership, ConnectionHub hub,
            OwnerRequests requests) {
        this(membership, hub, requests,
                new Blocklist("bans", grid.sharedMap(BANS), settings.bans(), System::currentTimeMillis),
                new Blocklist("denied addresses", grid.sharedMap(DENIED), settings.deniedAddresses(),
                        System::currentTimeMillis));
    }

    public AccessControls(Membership membership, ConnectionHub hub, OwnerRequests requests, Blocklist bans,
            Blocklist denied) {
        this.membership = membership;
        this.hub = hub;
        this.requests = requests;
        this.bans = bans;
        this.denied = denied;
    }

    /** The access controls of a node alone (no grid), their lists in this JVM's memory. */
    public static AccessControls alone(PushSettings settings, ConnectionHub hub) {
        Membership membership = new Membership(settings);
        return new AccessControls(membership, hub, new OwnerRequests(new SoloGrid()),
                new Blocklist("bans", SharedMap.inMemory(), settings.bans(), System::currentTimeMillis),
                new Blocklist("denied addresses", SharedMap.inMemory(), settings.deniedAddresses(),
                        System::currentTimeMillis));
    }

    /** Answers other members' changes from now on; called as the application starts. */
    public void serveOtherMembers() {
        requests.serve(OwnerRequests.Service.ACCESS, (request, reply) -> reply.accept(answer(request)));
    }

    /**
     * Closes the key's connections on every member, each told it was kicked; returns how many.
     *
     * @throws PushFailedException when a member did not answer in time
     */
    public int kick(String key) {
        return everywhere(Change.KICK, key, 0);
    }

    /** Bans the key for the seconds given and closes its connections everywhere; returns how many. */
    public int ban(String key, long seconds) {
        return everywhere(Change.BAN, key, bans.block(key, seconds));
    }

    /** Lifts the key's ban on every member. */
    public void unban(String key) {
        bans.lift(key);
        everywhere(Change.UNBAN, key, 0);
    }

    /** Whether the key is banned now. */
    public boolean isBanned(String key) {
        return bans.contains(key);
    }

    /** Denies an address entry (a CIDR block, as the web tier writes it) for the seconds given, on every member. */
    public void deny(String entry, long seconds) {
        everywhere(Change.DENY, entry, denied.block(entry, seconds));
    }

    /** Removes an address entry denied at run time, on every member. */
    public void allow(String entry) {
        denied.lift(entry);
        everywhere(Change.ALLOW, entry, 0);
    }

    /** The address entries denied at run time. */
    public Blocklist denied() {
        return denied;
    }

    /** The bans in force. */
    public Blocklist bans() {
        return bans;
    }

    /** Reloads both lists from the grid and drops what ended (see {@link Blocklist#refresh}). */
    public void refresh() {
        bans.refresh();
        denied.refresh();
    }

    private int everywhere(Change change, String subject, long until) {
        byte[] request = encode(change, subject, until);
        List<CompletableFuture<byte[]>> asked = new ArrayList<>();
        for (String member : membership.liveMemberIds()) {
            if (!membership.view().isLocal(member)) {
                asked.add(requests.ask(member, OwnerRequests.Service.ACCESS, request, ANSWER_MILLIS));
            }
        }
        int closed = apply(change, subject, until);
        for (CompletableFuture<byte[]> reply : asked) {
            try {
                closed += ByteBuffer.wrap(reply.join()).getInt();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof OwnerRequests.MemberGoneException)) {
                    throw new PushFailedException("a member did not answer a " + change.name().toLowerCase(Locale.ROOT)
                            + ": " + e.getCause(), e.getCause());
                }
                // a member that left holds no connection and checks nothing any more
            }
        }
        return closed;
    }

    private int apply(Change change, String subject, long until) {
        return switch (change) {
            case KICK -> hub.end(subject, Ending.KICKED);
            case BAN -> {
                bans.mirror(subject, until);
                yield hub.end(subject, Ending.BANNED);
            }
            case UNBAN -> {
                bans.mirror(subject, 0);
                yield 0;
            }
            case DENY -> {
                denied.mirror(subject, until);
                yield 0;
            }
            case ALLOW -> {
                denied.mirror(subject, 0);
                yield 0;
            }
        };
    }

    private byte[] answer(byte[] request) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(request))) {
            Change change = Change.values()[in.readUnsignedByte()];
            String subject = WireText.read(in, request.length);
            long until = in.readLong();
            return ByteBuffer.allocate(Integer.BYTES).putInt(apply(change, subject, until)).array();
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated access request", e);
        }
    }

    private static byte[] encode(Change change, String subject, long until) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + subject.length() * 3);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(change.ordinal());
            WireText.write(out, subject);
            out.writeLong(until);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
