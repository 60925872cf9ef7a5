package io.pushcluster.web.rest;

import io.pushcluster.engine.cluster.Presence;
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
import java.util.Map;

/**
 * {@code GET /1/admin/cluster}: the members on this member's ring with their weights, the share of
 * all keys each owns, public addresses and connections and keys online now (asked of each member; null from one that did not
 * answer), members left off for a name already taken, and for each {@code k} given, the member that
 * owns it. Every member answers the same unless the cluster is changing.
 */
@Path("1/admin/cluster")
public class AdminClusterResource {

    @Inject
    Membership membership;

    @Inject
    Presence presence;

    @GET
    public Response cluster(@QueryParam("k") List<String> keys) {
        return Reply.v1().answer(() -> {
            ClusterView view = membership.view();
            JsonArrayBuilder members = Json.createArrayBuilder();
            Map<String, Double> shares = view.shares();
            view.members().values().forEach(card -> members.add(online(card(card)
                    .add("share", shares.getOrDefault(card.name(), 0.0)), view.idOf(card.name()))));
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

    /** Adds the member's connections and keys online, or nulls when it did not answer. */
    private JsonObjectBuilder online(JsonObjectBuilder card, String memberId) {
        try {
            Presence.Totals totals = presence.of(memberId);
            return card.add("connections", totals.connections()).add("keys", totals.keys());
        } catch (RuntimeException e) {
            return card.addNull("connections").addNull("keys");
        }
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
