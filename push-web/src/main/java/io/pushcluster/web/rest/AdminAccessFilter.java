package io.pushcluster.web.rest;

import io.pushcluster.engine.config.PushSettings;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards the admin endpoints (PROTOCOL.md B.3). With {@code push.admin.credential} set, every caller
 * must send {@code Authorization: Bearer <credential>} (HTTP 401 otherwise); without it, only
 * loopback callers are answered (HTTP 403 otherwise).
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminAccessFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    PushSettings settings;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        Optional<String> credential = settings.adminCredential();
        if (credential.isPresent()) {
            String header = context.getHeaderString(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.startsWith(BEARER) || !same(header.substring(BEARER.length()), credential.get())) {
                context.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                        .type(MediaType.TEXT_PLAIN_TYPE).entity("admin credential required\n").build());
            }
        } else if (!isLoopback(request.getRemoteAddr())) {
            context.abortWith(Response.status(Response.Status.FORBIDDEN)
                    .type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("admin endpoints answer loopback callers only unless push.admin.credential is set\n")
                    .build());
        }
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isLoopback(String address) {
        try {
            // an empty name would resolve to the loopback address: refuse it instead
            return address != null && !address.isEmpty() && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
