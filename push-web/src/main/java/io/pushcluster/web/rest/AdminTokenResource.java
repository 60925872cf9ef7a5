package io.pushcluster.web.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Registering subscriber tokens (PROTOCOL.md B.3): {@code key}, {@code token} and an optional
 * {@code expire} in seconds, as query parameters or a form body; the work is {@link Endpoints}'.
 */
@Path("")
@Consumes(MediaType.WILDCARD)
public class AdminTokenResource {

    @Inject
    Endpoints endpoints;

    @Context
    UriInfo uri;

    @POST
    @Path("1/admin/token/add")
    public Response add(@HeaderParam(HttpHeaders.CONTENT_TYPE) String type, InputStream body) {
        return endpoints.addToken(query(), type, body).response();
    }

    @POST
    @Path("1/admin/token/del")
    public Response remove(@HeaderParam(HttpHeaders.CONTENT_TYPE) String type, InputStream body) {
        return endpoints.removeToken(query(), type, body).response();
    }

    private Map<String, String> query() {
        Map<String, String> fields = new HashMap<>();
        uri.getQueryParameters().forEach((name, values) -> fields.put(name, values.get(0)));
        return fields;
    }
}
