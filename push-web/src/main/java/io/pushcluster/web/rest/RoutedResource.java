package io.pushcluster.web.rest;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.config.HostPort;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Map;

/**
 * The HTTP interface on Payara's port: every path of {@link Routes}, the table the HTTP listener of
 * our own serves too, so that the two fronts cannot drift apart. Resources with a path of their own
 * ({@code /1/admin/stats}, {@code /1/admin/cluster}, the browser client) are matched before this one:
 * their paths have literal characters, this one has none.
 */
@Path("")
@Consumes(MediaType.WILDCARD)
public class RoutedResource {

    /** Any path: one with literal characters (a resource of its own) is matched first. */
    private static final String ANY = "{path: .+}";

    @Inject
    Routes routes;

    @Context
    UriInfo uri;

    @Context
    HttpHeaders headers;

    @Context
    HttpServletRequest request;

    @GET
    @Path(ANY)
    public Response get(@PathParam("path") String path) {
        return serve("GET", path, InputStream.nullInputStream());
    }

    @POST
    @Path(ANY)
    public Response post(@PathParam("path") String path, InputStream body) {
        return serve("POST", path, body);
    }

    private Response serve(String method, String path, InputStream body) {
        Routes.Route route = routes.find("/" + path);
        if (route == null) {
            throw new NotFoundException();
        }
        if (!route.method().equals(method)) {
            throw new NotAllowedException(route.method());
        }
        Map<String, String> query;
        String raw = uri.getRequestUri().getRawQuery();
        try {
            query = Params.form(raw == null ? "" : raw);
        } catch (InvalidParameterException e) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                    .entity("malformed query\n").build();
        }
        return route.work().apply(new Request(query, raw == null ? "" : raw, body)).response();
    }

    /** The request as the route reads it. */
    private final class Request implements RouteRequest {

        private final Map<String, String> query;
        private final String rawQuery;
        private final InputStream body;

        Request(Map<String, String> query, String rawQuery, InputStream body) {
            this.query = query;
            this.rawQuery = rawQuery;
            this.body = body;
        }

        @Override
        public String query(String name) {
            return query.get(name);
        }

        @Override
        public Map<String, String> query() {
            return query;
        }

        @Override
        public String rawQuery() {
            return rawQuery;
        }

        @Override
        public String header(String name) {
            return headers.getHeaderString(name);
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public String address() {
            return HostPort.format(request.getServerName(), request.getServerPort());
        }
    }
}
