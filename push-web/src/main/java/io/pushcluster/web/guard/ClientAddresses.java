package io.pushcluster.web.guard;

import io.pushcluster.engine.cluster.AccessControls;
import io.pushcluster.engine.cluster.Blocklist;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.Refusal;
import io.pushcluster.web.config.AddressSettings;
import io.pushcluster.web.config.Cidr;
import io.pushcluster.web.config.TransportSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Who a client is and whether it is served, the same for every transport and both HTTP fronts: its
 * address (the peer's, or, for a peer in {@code push.proxies}, the right-most address its proxies'
 * {@code Forwarded} or {@code X-Forwarded-For} header names that is not itself a trusted proxy),
 * checked against {@code push.ip.allow}, {@code push.ip.deny} and the entries denied at run time, and
 * the subscriber connections each address holds on this member, at most
 * {@code push.limit.connections-per-ip}.
 */
@ApplicationScoped
public class ClientAddresses {

    private AddressSettings settings;
    private AccessControls access;
    private PushStats stats;
    private final ConcurrentHashMap<InetAddress, Integer> held = new ConcurrentHashMap<>();
    private volatile Denied denied = new Denied(-1, List.of());

    /** The run-time entries as blocks with when each ends, and the version of the list they were made from. */
    private record Denied(long version, List<DeniedBlock> blocks) {
    }

    private record DeniedBlock(Cidr block, long untilMillis) {
    }

    protected ClientAddresses() {
    }

    @Inject
    public ClientAddresses(TransportSettings transport, AccessControls access, PushStats stats) {
        this.settings = transport.addresses();
        this.access = access;
        this.stats = stats;
    }

    /** Made as the application starts, so that the rules are in force before the first connection. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // nothing more: being created is the point
    }

    /** Whether the peer is a proxy whose word on the client's address is believed. */
    public boolean trusts(InetAddress peer) {
        return Cidr.any(settings.proxies(), peer);
    }

    /**
     * The client's address: the peer's, unless the peer is a trusted proxy, then the right-most address
     * of its {@code Forwarded} header (else {@code X-Forwarded-For}) that is not a trusted proxy, or the
     * left-most when all are; the peer when it sent neither header. Null when a trusted proxy named a
     * client that is not an IP address (for example {@code unknown}): no rule is satisfied by it.
     *
     * @param headers the values of a request header by name, in lower case
     */
    public InetAddress client(InetAddress peer, Function<String, List<String>> headers) {
        if (!trusts(peer)) {
            return peer;
        }
        List<String> chain = ForwardedFor.chain(headers);
        if (chain.isEmpty()) {
            return peer;
        }
        InetAddress client = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            client = ForwardedFor.address(chain.get(i));
            if (client == null || !trusts(client)) {
                return client;
            }
        }
        return client;
    }

    /**
     * Whether the client is served: in {@code push.ip.allow} when that is set, in neither
     * {@code push.ip.deny} nor the entries denied at run time. A refusal is counted.
     *
     * @param client the client's address, or null when a trusted proxy named none
     */
    public boolean admits(InetAddress client) {
        boolean admitted = client == null ? settings.allow().isEmpty()
                : (settings.allow().isEmpty() || Cidr.any(settings.allow(), client))
                        && !Cidr.any(settings.deny(), client) && !deniedNow(client);
        if (!admitted) {
            stats.refused(Refusal.IP_LIST);
        }
        return admitted;
    }

    /**
     * A connection a listener of our own accepted, before it reads any of it: whether the peer is
     * served and, for a subscriber listener, may hold one more connection (then counted). A trusted
     * proxy's connection is judged once its request names the client.
     */
    public boolean accepts(InetAddress peer, boolean subscriber) {
        return trusts(peer) || admits(peer) && (!subscriber || hold(peer));
    }

    /**
     * Counts one more subscriber connection of the client; false, counted as a refusal, when it holds
     * {@code push.limit.connections-per-ip} already. Every true is to be matched by one {@link #release}.
     */
    public boolean hold(InetAddress client) {
        int limit = settings.connectionsPerIp();
        if (limit == 0 || client == null) {
            return true;
        }
        boolean[] over = {false};
        held.compute(client, (address, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limit) {
                over[0] = true;
                return count;
            }
            return now + 1;
        });
        if (over[0]) {
            stats.refused(Refusal.PER_IP);
        }
        return !over[0];
    }

    /** A connection {@link #hold} counted has closed. */
    public void release(InetAddress client) {
        if (settings.connectionsPerIp() == 0 || client == null) {
            return;
        }
        held.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
    }

    /** The subscriber connections the client holds on this member, as counted. */
    public int heldBy(InetAddress client) {
        return held.getOrDefault(client, 0);
    }

    private boolean deniedNow(InetAddress client) {
        Blocklist list = access.denied();
        Denied cached = denied;
        long version = list.version();
        if (cached.version() != version) {
            List<DeniedBlock> blocks = new ArrayList<>();
            list.entries().forEach((entry, until) -> {
                try {
                    blocks.add(new DeniedBlock(Cidr.parse(entry), until));
                } catch (IllegalArgumentException e) {
                    // entries are checked before they are shared; one that is not a block denies nothing
                }
            });
            cached = new Denied(version, List.copyOf(blocks));
            denied = cached;
        }
        if (cached.blocks().isEmpty()) {
            return false;
        }
        long now = System.currentTimeMillis();
        for (DeniedBlock entry : cached.blocks()) {
            if (entry.untilMillis() > now && entry.block().contains(client)) {
                return true;
            }
        }
        return false;
    }
}
