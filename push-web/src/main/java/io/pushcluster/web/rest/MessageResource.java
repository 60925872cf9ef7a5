package io.pushcluster.web.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** Offline messages: what a key missed after a given mid; the work is {@link Endpoints}'. */
@Path("")
public class MessageResource {

    @Inject
    Endpoints endpoints;

    @GET
    @Path("1/msg/get")
    public Response v1(@QueryParam("k") String key, @QueryParam("m") String mid, @QueryParam("cb") String cb) {
        return endpoints.messagesV1(key, mid, cb).response();
    }

    @GET
    @Path("msg/get")
    public Response legacy(@QueryParam("key") String key, @QueryParam("mid") String mid,
            @QueryParam("pmid") String pmid, @QueryParam("callback") String callback) {
        return endpoints.messagesLegacy(key, mid, pmid, callback).response();
    }
}
