package io.pushcluster.web.rest;

import io.pushcluster.api.PushService;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Registering subscriber tokens (PROTOCOL.md B.3): {@code key}, {@code token} and an optional
 * {@code expire} in seconds, as query parameters or a form body.
 */
@Path("")
@AdminOnly
@Consumes(MediaType.WILDCARD)
public class AdminTokenResource {

    @EJB
    PushService push;

    @Context
    UriInfo uri;

    @POST
    @Path("1/admin/token/add")
    public Response add(@HeaderParam(HttpHeaders.CONTENT_TYPE) String type, InputStream body) {
        return Reply.v1().answer(() -> {
            Map<String, String> fields = fields(type, body);
            String expire = fields.get("expire");
            long seconds = expire == null || expire.isEmpty() ? 0 : Params.unsigned(expire, "expire");
            push.addToken(Params.required(fields.get("key"), "key"), Params.required(fields.get("token"), "token"),
                    seconds);
            return null;
        });
    }

    @POST
    @Path("1/admin/token/del")
    public Response remove(@HeaderParam(HttpHeaders.CONTENT_TYPE) String type, InputStream body) {
        return Reply.v1().answer(() -> {
            Map<String, String> fields = fields(type, body);
            push.removeToken(Params.required(fields.get("key"), "key"), Params.required(fields.get("token"), "token"));
            return null;
        });
    }

    private Map<String, String> fields(String type, InputStream body) {
        Map<String, String> fields = new HashMap<>();
        uri.getQueryParameters().forEach((name, values) -> fields.put(name, values.get(0)));
        fields.putAll(FormFields.of(type, body));
        return fields;
    }
}
