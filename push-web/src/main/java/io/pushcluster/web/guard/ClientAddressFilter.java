package io.pushcluster.web.guard;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;

/**
 * Every request on Payara's HTTP port, {@code /sub}'s upgrades included: works out the client's address
 * ({@link ClientAddresses#client}), answers 403 to a client the address lists refuse, and leaves the
 * address in the request ({@link #clientOf}) for the admin guard and {@code /sub}'s per-address count.
 * Payara has read the request by then: the lists are checked before any byte only on the listeners of
 * our own.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ClientAddressFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String ATTRIBUTE = ClientAddressFilter.class.getName() + ".client";
    private static final String UNKNOWN = "unknown";

    @Inject
    transient ClientAddresses addresses;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        InetAddress peer = peer(request);
        InetAddress client = peer == null ? null
                : addresses.client(peer, name -> Collections.list(request.getHeaders(name)));
        if (!addresses.admits(client)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setHeader("Connection", "close");
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().write("Forbidden\n");
            return;
        }
        request.setAttribute(ATTRIBUTE, client == null ? UNKNOWN : client);
        chain.doFilter(request, response);
    }

    /**
     * The client's address as this filter worked it out; null when a trusted proxy named no IP address.
     * Outside the filter (never on Payara's port), the peer's.
     */
    public static InetAddress clientOf(HttpServletRequest request) {
        Object client = request.getAttribute(ATTRIBUTE);
        if (client instanceof InetAddress address) {
            return address;
        }
        return UNKNOWN.equals(client) ? null : peer(request);
    }

    /** Whether the client is on a loopback address, as the admin guard judges it. */
    public static boolean loopback(HttpServletRequest request) {
        InetAddress client = clientOf(request);
        return client != null && client.isLoopbackAddress();
    }

    private static InetAddress peer(HttpServletRequest request) {
        return ForwardedFor.address(request.getRemoteAddr() == null ? "" : request.getRemoteAddr());
    }
}
