package io.pushcluster.web.rest;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** Node lookup: which address a subscriber of a key connects to; the work is {@link Endpoints}'. */
@Path("")
public class ServerResource {

    @Inject
    Endpoints endpoints;

    @Context
    HttpServletRequest request;

    @GET
    @Path("1/server/get")
    public Response one(@QueryParam("k") String key, @QueryParam("p") String protocol, @QueryParam("cb") String cb) {
        return endpoints.serverOne(key, protocol, cb, requestAddress()).response();
    }

    @GET
    @Path("2/server/get")
    public Response all(@QueryParam("k") String key, @QueryParam("p") String protocol, @QueryParam("cb") String cb) {
        return endpoints.serverAll(key, protocol, cb, requestAddress()).response();
    }

    @GET
    @Path("server/get")
    public Response legacy(@QueryParam("key") String key, @QueryParam("proto") String protocol,
            @QueryParam("callback") String callback) {
        return endpoints.serverLegacy(key, protocol, callback, requestAddress()).response();
    }

    /** host:port as the client addressed this node. */
    private String requestAddress() {
        return Endpoints.hostPort(request.getServerName(), request.getServerPort());
    }
}
