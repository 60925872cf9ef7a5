package io.pushcluster.web.rest;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.Protocol;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.message.JsonText;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;

/** Node lookup: which address a subscriber of a key connects to. */
@Path("")
public class ServerResource {

    @Inject
    Membership membership;

    @Inject
    PushSettings settings;

    @Context
    HttpServletRequest request;

    @GET
    @Path("1/server/get")
    public Response one(@QueryParam("k") String key, @QueryParam("p") String protocol, @QueryParam("cb") String cb) {
        return Reply.v1(cb).answer(() -> "{\"server\":" + JsonText.quote(addresses(key, protocol).get(0)) + "}");
    }

    @GET
    @Path("2/server/get")
    public Response all(@QueryParam("k") String key, @QueryParam("p") String protocol, @QueryParam("cb") String cb) {
        return Reply.v1(cb).answer(() -> addresses(key, protocol).stream().map(JsonText::quote)
                .collect(Collectors.joining(",", "{\"server\":[", "]}")));
    }

    @GET
    @Path("server/get")
    public Response legacy(@QueryParam("key") String key, @QueryParam("proto") String protocol,
            @QueryParam("callback") String callback) {
        return Reply.legacy(callback)
                .answer(() -> "{\"server\":" + JsonText.quote(addresses(key, protocol).get(0)) + "}");
    }

    private List<String> addresses(String key, String protocolNumber) {
        Params.required(key, "key");
        if (key.length() > settings.keyMaxLength()) {
            throw new InvalidParameterException("key too long");
        }
        Protocol protocol = Protocol.of(protocolNumber)
                .orElseThrow(() -> new InvalidParameterException("protocol must be 1 or 2"));
        List<String> addresses = membership.addressesOf(key, protocol, requestAddress());
        if (addresses.isEmpty()) {
            throw new NoNodeException("no " + protocol + " address for key " + key);
        }
        return addresses;
    }

    /** host:port as the client addressed this node. */
    private String requestAddress() {
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + request.getServerPort();
    }
}
