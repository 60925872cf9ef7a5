package io.pushcluster.engine.cluster;

import io.pushcluster.engine.grid.FakeGrid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.FakeConnection;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Pushes reach the connections on the owning member, with one grid message per owner. */
class DeliveryRouterTest {

    private final FakeGrid.Cluster cluster = new FakeGrid.Cluster();

    private final class Node {
        final PushSettings settings;
        final Membership membership;
        final ConnectionHub hub;
        final PushStats stats = new PushStats();
        final DeliveryRouter router;

        Node(String id, String name) {
            settings = new PushSettings(key -> Optional.ofNullable(Map.of(PushSettings.NODE_NAME, name).get(key)));
            FakeGrid grid = cluster.join(id);
            membership = new Membership(settings, grid);
            hub = new ConnectionHub(settings, stats);
            router = new DeliveryRouter(membership, grid, hub, stats, new OwnerRequests(grid));
            router.listen();
            membership.follow(Runnable::run, () -> { });
            membership.enter();
        }

        /** A subscriber of the key on whichever node owns it. */
        FakeConnection subscribeOnOwner(List<Node> nodes, String key) {
            FakeConnection connection = new FakeConnection(key);
            nodes.stream().filter(node -> node.membership.ownsLocally(key)).findFirst().orElseThrow().hub.add(connection);
            return connection;
        }
    }

    @Test
    void aMultiKeyPushSendsOneMessagePerRemoteOwnerAndEveryOwnerDelivers() {
        Node a = new Node("a", "m1");
        Node b = new Node("b", "m2");
        Node c = new Node("c", "m3");
        List<Node> nodes = List.of(a, b, c);
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> "k" + i).toList();
        List<FakeConnection> subscribers = new ArrayList<>();
        keys.forEach(key -> subscribers.add(a.subscribeOnOwner(nodes, key)));
        cluster.sends.clear();

        int local = a.router.deliver(keys, new PushedMessage(77, 0, "{\"n\":1}"));

        long ownedByA = keys.stream().filter(a.membership::ownsLocally).count();
        assertEquals(ownedByA, local);
        List<String> sorted = new ArrayList<>(cluster.sends);
        Collections.sort(sorted);
        assertEquals(List.of("b", "c"), sorted, "one message to each other owner, none to the sender");
        for (FakeConnection subscriber : subscribers) {
            assertEquals(1, subscriber.received.size(), subscriber.key());
            assertEquals(77, subscriber.received.get(0).mid());
        }
        assertEquals(keys.size() - ownedByA, a.stats.messageCounters().get("forwarded"));
        assertEquals(keys.size() - ownedByA,
                b.stats.messageCounters().get("delivered") + c.stats.messageCounters().get("delivered"));
    }

    @Test
    void aPushToKeysAllOwnedHereSendsNothing() {
        Node a = new Node("a", "m1");
        new Node("b", "m2");
        List<String> mine = IntStream.range(0, 50).mapToObj(i -> "k" + i).filter(a.membership::ownsLocally).toList();
        assertTrue(mine.size() > 5);
        cluster.sends.clear();
        a.router.deliver(mine, new PushedMessage(1, 0, "{}"));
        assertEquals(List.of(), cluster.sends);
    }

    @Test
    void anOwnerThatJustDiedCountsAsAFailedForwardAndDoesNotFailThePush() {
        Node a = new Node("a", "m1");
        Node b = new Node("b", "m2");
        String keyOfB = IntStream.range(0, 50).mapToObj(i -> "k" + i).filter(b.membership::ownsLocally).findFirst().orElseThrow();
        cluster.members.removeIf(member -> member.localId().equals("b"));
        assertEquals(0, a.router.deliver(List.of(keyOfB), new PushedMessage(1, 0, "{}")));
        assertEquals(1L, a.stats.messageCounters().get("forwardFailed"));
    }

    @Test
    void unreadableForwardsAreDropped() {
        Node a = new Node("a", "m1");
        FakeConnection subscriber = new FakeConnection("k");
        a.hub.add(subscriber);
        a.router.receive(new byte[] {1, 2, 3});
        assertEquals(0, subscriber.received.size());
    }
}
