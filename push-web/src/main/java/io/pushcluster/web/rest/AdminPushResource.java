package io.pushcluster.web.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** Pushing and deleting stored messages (PROTOCOL.md A.3); the work is {@link Endpoints}'. */
@Path("")
@Consumes(MediaType.WILDCARD)
public class AdminPushResource {

    @Inject
    Endpoints endpoints;

    @POST
    @Path("1/admin/push/private")
    public Response pushPrivate(@QueryParam("key") String key, @QueryParam("expire") String expire,
            @HeaderParam(Endpoints.IDEMPOTENCY_KEY) String idempotencyKey, InputStream body) {
        return endpoints.pushPrivate(key, expire, idempotencyKey, body).response();
    }

    @POST
    @Path("admin/push")
    public Response pushLegacy(@QueryParam("key") String key, @QueryParam("expire") String expire,
            @HeaderParam(Endpoints.IDEMPOTENCY_KEY) String idempotencyKey, InputStream body) {
        return pushPrivate(key, expire, idempotencyKey, body);
    }

    @POST
    @Path("1/admin/push/mprivate")
    public Response pushMany(@QueryParam("expire") String expire,
            @HeaderParam(Endpoints.IDEMPOTENCY_KEY) String idempotencyKey, InputStream body) {
        return endpoints.pushMany(expire, idempotencyKey, body).response();
    }

    @POST
    @Path("1/admin/msg/del")
    public Response delete(@QueryParam("key") String queryKey, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            InputStream body) {
        return endpoints.deleteMessages(queryKey, type, body).response();
    }

    @POST
    @Path("admin/msg/clean")
    public Response deleteLegacy(@QueryParam("key") String queryKey, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            InputStream body) {
        return delete(queryKey, type, body);
    }
}
