package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Payara Micro members on loopback, each with a WebSocket listener of its own: every member names
 * the owner's listener for a key (from the owner's card), a subscribe on the listener of a member that
 * does not own the key is refused with {@code -n}, and the owner's listener delivers what is pushed
 * through the other member.
 */
class WebSocketListenerClusterIT {

    private static final long WAIT = 10_000;
    private static final String FIRST_LISTENER = "127.0.0.1:" + Deployments.freePort();
    private static final String SECOND_LISTENER = "127.0.0.1:" + Deployments.freePort();
    private static final Map<String, String> LISTENERS = Map.of("m1", FIRST_LISTENER, "m2", SECOND_LISTENER);
    private static final List<String> KEYS = IntStream.range(0, 40).mapToObj(i -> "w" + System.nanoTime() + "-" + i)
            .toList();

    /** MicroCluster names each member's HTTP address in push.public.websocket; empty leaves it to the listener. */
    @RegisterExtension
    static final MicroCluster CLUSTER = MicroCluster.of(1)
            .with("push.public.websocket", "")
            .with("push.websocket.bind", FIRST_LISTENER);

    @BeforeAll
    static void secondMember() {
        CLUSTER.join(Map.of("push.websocket.bind", SECOND_LISTENER));
    }

    /** The owner of each key, as m1 tells it. */
    private static Map<String, String> owners() {
        return CLUSTER.member("m1").owners(KEYS);
    }

    @Test
    void everyMemberNamesTheOwnersListener() {
        Map<String, String> owners = owners();
        assertEquals(2, Set.copyOf(owners.values()).size(), "both members own keys: " + owners);
        for (MicroMember member : CLUSTER.members()) {
            for (Map.Entry<String, String> owner : owners.entrySet()) {
                String server = member.http().get("/1/server/get?k=" + owner.getKey() + "&p=1").json()
                        .getJsonObject("data").getString("server");
                assertEquals(LISTENERS.get(owner.getValue()), server, owner.getKey() + " asked at " + member.name());
            }
        }
    }

    @Test
    void aMemberThatDoesNotOwnTheKeyRefusesItOnItsListenerAndTheOwnerDelivers() {
        String key = owners().entrySet().stream().filter(e -> e.getValue().equals("m2")).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        try (WsClient ws = WsClient.connect(FIRST_LISTENER, "key=" + key + "&heartbeat=30")) {
            assertEquals("-n\r\n", ws.next(WAIT));
            assertEquals(1000, ws.closeCode(WAIT));
        }
        try (WsClient ws = WsClient.connect(SECOND_LISTENER, "key=" + key + "&heartbeat=30&ver=1")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            CLUSTER.member("m1").http().push(key, "{\"through\":\"m1\"}", 0);
            String frame = ws.next(WAIT);
            assertTrue(frame != null && frame.startsWith("{\"msg\":{\"through\":\"m1\"}"), frame);
        }
    }
}
