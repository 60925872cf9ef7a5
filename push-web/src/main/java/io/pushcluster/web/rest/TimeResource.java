package io.pushcluster.web.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** A starting mid for clients: every message pushed after this call has a greater one. */
@Path("")
public class TimeResource {

    @Inject
    Endpoints endpoints;

    @GET
    @Path("1/time/get")
    public Response v1(@QueryParam("cb") String cb) {
        return endpoints.timeV1(cb).response();
    }

    @GET
    @Path("time/get")
    public Response legacy(@QueryParam("callback") String callback) {
        return endpoints.timeLegacy(callback).response();
    }
}
