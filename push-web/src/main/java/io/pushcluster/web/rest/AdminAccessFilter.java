package io.pushcluster.web.rest;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.web.guard.ClientAddressFilter;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Guards every path under {@code /1/admin/} and {@code /admin/} on Payara's HTTP port, for every
 * method and before a resource is matched, so that not even an {@code OPTIONS} request learns what is
 * there without the credential; {@link AdminAccess} decides.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class AdminAccessFilter implements ContainerRequestFilter {

    private static final String DASHBOARD = "/dashboard";

    @Inject
    PushSettings settings;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        String path = context.getUriInfo().getPath();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        boolean page = path.equals(DASHBOARD) || path.startsWith(DASHBOARD + "/");
        if (!page && !path.startsWith("/1/admin/") && !path.startsWith("/admin/")) {
            return;
        }
        boolean loopback = settings.adminCredential().isEmpty() && ClientAddressFilter.loopback(request);
        AdminAccess.check(settings.adminCredential(), context.getHeaderString(HttpHeaders.AUTHORIZATION), loopback)
                .ifPresent(refusal -> {
                    Response.ResponseBuilder reply = Response.status(refusal.status())
                            .type(MediaType.TEXT_PLAIN_TYPE).entity(refusal.text());
                    if (refusal.challenge()) {
                        // a browser asks its user for Basic credentials, and sends them on with the page's requests
                        reply.header(HttpHeaders.WWW_AUTHENTICATE, page ? "Basic realm=\"push admin\"" : "Bearer");
                    }
                    context.abortWith(reply.build());
                });
    }
}
