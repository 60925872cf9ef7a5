package io.pushcluster.web.rest;

import io.pushcluster.engine.cluster.ClusterView;
import io.pushcluster.engine.grid.MemberCard;
import io.pushcluster.engine.cluster.Membership;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code GET /1/admin/cluster}: the members on this member's ring with their weights and public
 * addresses, members left off for a name already taken, and for each {@code k} given, the member
 * that owns it. Every member answers the same unless the cluster is changing.
 */
@Path("1/admin/cluster")
public class AdminClusterResource {

    @Inject
    Membership membership;

    @GET
    public Response cluster(@QueryParam("k") List<String> keys) {
        return Reply.v1().answer(() -> {
            ClusterView view = membership.view();
            JsonArrayBuilder members = Json.createArrayBuilder();
            view.members().values().forEach(card -> members.add(card(card)));
            JsonArrayBuilder conflicts = Json.createArrayBuilder();
            view.conflicts().forEach(card -> conflicts.add(card(card)));
            JsonObjectBuilder owners = Json.createObjectBuilder();
            for (String key : keys) {
                String owner = view.ownerOf(key);
                if (owner == null) {
                    owners.addNull(key);
                } else {
                    owners.add(key, owner);
                }
            }
            return Json.createObjectBuilder()
                    .add("self", membership.localCard().name())
                    .add("members", members)
                    .add("conflicts", conflicts)
                    .add("owners", owners)
                    .build().toString();
        });
    }

    private static JsonObjectBuilder card(MemberCard card) {
        JsonArrayBuilder webSocket = Json.createArrayBuilder();
        card.webSocket().forEach(webSocket::add);
        JsonArrayBuilder tcp = Json.createArrayBuilder();
        card.tcp().forEach(tcp::add);
        return Json.createObjectBuilder()
                .add("name", card.name())
                .add("weight", card.weight())
                .add("ws", webSocket)
                .add("tcp", tcp);
    }
}
