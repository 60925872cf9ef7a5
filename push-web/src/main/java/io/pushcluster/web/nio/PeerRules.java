package io.pushcluster.web.nio;

import io.pushcluster.web.guard.ClientAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The address rules as a listener applies them to the sockets it accepts, before reading any byte:
 * {@link ClientAddresses#accepts}. Without rules (a listener tested alone) every socket is accepted and
 * none counted. Then what the socket's bytes go through: TLS when the listener speaks it.
 */
final class PeerRules {

    /** Whether the socket is accepted, and the address it is counted against until it closes (or null). */
    record Admitted(boolean accepted, InetAddress held) {
    }

    private static final Admitted UNCOUNTED = new Admitted(true, null);
    private static final Admitted REFUSED = new Admitted(false, null);

    private final ClientAddresses addresses;
    private final TlsContext tls;

    /** @param addresses the rules, or null for none; @param tls TLS on every socket, or null for plain TCP */
    PeerRules(ClientAddresses addresses, TlsContext tls) {
        this.addresses = addresses;
        this.tls = tls;
    }

    Wire wireFor(SocketChannel channel) {
        return tls == null ? Wire.plain(channel) : new TlsWire(channel, tls.newEngine());
    }

    Admitted accept(SocketChannel channel, boolean subscribers) {
        if (addresses == null) {
            return UNCOUNTED;
        }
        InetAddress peer = peerOf(channel);
        if (peer == null || !addresses.accepts(peer, subscribers)) {
            return REFUSED;
        }
        return subscribers && !addresses.trusts(peer) ? new Admitted(true, peer) : UNCOUNTED;
    }

    /** The socket's peer address; null when the socket no longer knows it. */
    static InetAddress peerOf(SocketChannel channel) {
        try {
            return channel.getRemoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A socket counted against an address closed; on any thread. */
    void release(InetAddress held) {
        if (held != null && addresses != null) {
            addresses.release(held);
        }
    }

    /** The rules, or null. */
    ClientAddresses addresses() {
        return addresses;
    }
}
