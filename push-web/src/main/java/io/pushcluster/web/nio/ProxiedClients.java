package io.pushcluster.web.nio;

import io.pushcluster.web.guard.ClientAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Function;

/**
 * The client behind a listener's connection once its request has arrived: the peer, or for a peer in
 * {@code push.proxies} the client its forwarding headers name, judged then, since a trusted proxy's
 * connections are not judged as they are accepted (see {@link SubscriberServer}).
 */
public final class ProxiedClients {

    private ProxiedClients() {
    }

    /**
     * The client's address as believed; null when the socket no longer knows its peer, or a trusted
     * proxy named no IP address.
     *
     * @param headers the request's header values by name in lower case
     */
    public static InetAddress client(SubscriberSocket socket, Function<String, List<String>> headers) {
        ClientAddresses addresses = socket.addresses();
        InetAddress peer = socket.peer();
        return addresses == null || peer == null ? peer : addresses.client(peer, headers);
    }

    /**
     * For a connection from a trusted proxy: whether the client is served (the address lists) and, for
     * a subscriber, may hold one more connection, which is then counted until this one closes. A
     * connection from any other peer was judged as it was accepted: true.
     */
    public static boolean admit(SubscriberSocket socket, InetAddress client, boolean subscriber) {
        ClientAddresses addresses = socket.addresses();
        InetAddress peer = socket.peer();
        if (addresses == null || peer == null || !addresses.trusts(peer)) {
            return true;
        }
        if (!addresses.admits(client)) {
            return false;
        }
        if (subscriber && !socket.holding() && client != null) {
            if (!addresses.hold(client)) {
                return false;
            }
            socket.holding(client);
        }
        return true;
    }
}
