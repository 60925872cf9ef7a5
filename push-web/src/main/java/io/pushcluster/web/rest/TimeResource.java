package io.pushcluster.web.rest;

import io.pushcluster.api.PushService;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** A starting mid for clients: every message pushed after this call has a greater one. */
@Path("")
public class TimeResource {

    @EJB
    PushService push;

    @GET
    @Path("1/time/get")
    public Response v1(@QueryParam("cb") String cb) {
        return Reply.v1(cb).answer(this::timeId);
    }

    @GET
    @Path("time/get")
    public Response legacy(@QueryParam("callback") String callback) {
        return Reply.legacy(callback).answer(this::timeId);
    }

    private String timeId() {
        return "{\"timeid\":" + push.currentTimeId() + "}";
    }
}
