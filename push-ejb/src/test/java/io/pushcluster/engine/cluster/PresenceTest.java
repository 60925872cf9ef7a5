package io.pushcluster.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushcluster.api.PushFailedException;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.FakeConnection;
import io.pushcluster.engine.grid.FakeGrid;
import io.pushcluster.engine.stats.PushStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who is online, asked at any member of three: each key counted on its owner, each owner asked once. */
class PresenceTest {

    private final FakeGrid.Cluster cluster = new FakeGrid.Cluster();

    private record Member(String id, Membership membership, ConnectionHub hub, Presence presence) {
    }

    private Member member(String id, String name) {
        PushSettings settings = new PushSettings(key -> Optional.ofNullable(Map.of(PushSettings.NODE_NAME, name).get(key)));
        FakeGrid grid = cluster.join(id);
        PushStats stats = new PushStats();
        ConnectionHub hub = new ConnectionHub(settings, stats);
        Membership membership = new Membership(settings, grid);
        OwnerRequests requests = new OwnerRequests(grid);
        new DeliveryRouter(membership, grid, hub, stats, requests).listen();
        membership.follow(Runnable::run, () -> { });
        membership.enter();
        Presence presence = new Presence(membership, hub, requests);
        presence.serveOtherMembers();
        return new Member(id, membership, hub, presence);
    }

    @Test
    void keysAreCountedOnTheirOwnersWhicheverMemberIsAsked() {
        List<Member> members = List.of(member("a", "m1"), member("b", "m2"), member("c", "m3"));
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            String key = "user-" + i;
            Member owner = members.stream().filter(m -> m.membership().ownsLocally(key)).findFirst().orElseThrow();
            int connections = i % 4;
            for (int c = 0; c < connections; c++) {
                owner.hub().add(new FakeConnection(key));
            }
            expected.put(key, connections);
        }
        expected.put("nobody", 0);
        List<String> keys = new ArrayList<>(expected.keySet());
        int sendsBefore = cluster.sends.size();
        for (Member asked : members) {
            assertEquals(expected, asked.presence().connectionsOf(keys), "asked at " + asked.id());
        }
        assertEquals(sendsBefore + 3 * 2 * 2, cluster.sends.size(),
                "each member asked each other owner once, and each answered once");
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        int fromTotals = 0;
        for (Member member : members) {
            Presence.Totals totals = members.get(0).presence().of(member.id());
            assertEquals(member.hub().connections(), totals.connections());
            assertEquals(member.hub().keys(), totals.keys());
            fromTotals += totals.connections();
        }
        assertEquals(total, fromTotals);
    }

    @Test
    void anOwnerGoneBeforeItAnswersFailsTheQuestionInsteadOfAnsweringZero() {
        Member a = member("a", "m1");
        Member b = member("b", "m2");
        String keyOfB = "user-0";
        for (int i = 0; !b.membership().ownsLocally(keyOfB); i++) {
            keyOfB = "user-" + i;
        }
        // b's answers are lost from now on: it has left the grid, though a still sees it on the ring
        cluster.members.removeIf(grid -> grid.localId().equals("b"));
        String key = keyOfB;
        assertThrows(PushFailedException.class, () -> a.presence().connectionsOf(List.of(key)));
    }
}
