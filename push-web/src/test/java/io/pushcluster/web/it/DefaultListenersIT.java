package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user gets without any listener setting: two Payara Micro members on one host, given nothing
 * but their HTTP ports (and their names and cluster), each open the WebSocket, HTTP and TCP listeners
 * of our own on their HTTP port + 1000, + 2000 and + 3000 without clashing, name them in
 * {@code /1/server/get}, and serve subscribers on them; {@code /sub} and the JAX-RS endpoints keep
 * working on Payara's port.
 */
class DefaultListenersIT {

    private static final long WAIT = 10_000;
    private static final List<String> KEYS = IntStream.range(0, 40).mapToObj(i -> "d" + System.nanoTime() + "-" + i)
            .toList();

    @RegisterExtension
    static final MicroCluster CLUSTER = MicroCluster.of(2).withDefaultListeners();

    private static Map<String, String> owners() {
        return CLUSTER.member("m1").owners(KEYS);
    }

    private static String keyOwnedBy(String member) {
        return owners().entrySet().stream().filter(e -> e.getValue().equals(member)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError(member + " owns none of " + KEYS.size() + " keys"));
    }

    @Test
    void eachMemberListensOnItsHttpPortPlusTheOffsetsAndSaysSo() {
        for (MicroMember member : CLUSTER.members()) {
            JsonObject config = member.http().get("/1/admin/stats").json().getJsonObject("data").getJsonObject("config");
            assertEquals("127.0.0.1:" + (member.httpPort() + 1000), config.getString("push.websocket.bind"), member.name());
            assertEquals("127.0.0.1:" + (member.httpPort() + 2000), config.getString("push.http.bind"), member.name());
            assertEquals("127.0.0.1:" + (member.httpPort() + 3000), config.getString("push.tcp.bind"), member.name());
        }
        Set<Integer> ports = CLUSTER.members().stream()
                .flatMap(m -> IntStream.of(0, 1000, 2000, 3000).mapToObj(offset -> m.httpPort() + offset))
                .collect(Collectors.toSet());
        assertEquals(8, ports.size(), "no two listeners of the two members share a port: " + ports);
    }

    @Test
    void everyMemberNamesTheOwnersDefaultListenersInServerGet() {
        Map<String, String> owners = owners();
        assertEquals(2, Set.copyOf(owners.values()).size(), "both members own keys: " + owners);
        for (MicroMember asked : CLUSTER.members()) {
            for (Map.Entry<String, String> owner : owners.entrySet()) {
                MicroMember holder = CLUSTER.member(owner.getValue());
                JsonObject ws = asked.http().get("/1/server/get?k=" + owner.getKey() + "&p=1").json();
                assertEquals("127.0.0.1:" + (holder.httpPort() + 1000), ws.getJsonObject("data").getString("server"),
                        owner.getKey() + " asked at " + asked.name());
                JsonObject tcp = asked.http().get("/1/server/get?k=" + owner.getKey() + "&p=2").json();
                assertEquals("127.0.0.1:" + (holder.httpPort() + 3000), tcp.getJsonObject("data").getString("server"),
                        owner.getKey() + " asked at " + asked.name());
            }
        }
    }

    @Test
    void subscribersOnEveryTransportGetWhatIsPushedThroughTheOtherMembersHttpListener() {
        MicroMember owner = CLUSTER.member("m2");
        String key = keyOwnedBy("m2");
        Http otherListener = new Http(CLUSTER.member("m1").httpPort() + 2000);
        try (WsClient listener = WsClient.connect("127.0.0.1:" + (owner.httpPort() + 1000), "key=" + key + "&heartbeat=30&ver=1");
                WsClient sub = WsClient.connect(owner.http(), "key=" + key + "&heartbeat=30&ver=1");
                TcpClient tcp = new TcpClient(owner.httpPort() + 3000).subscribe("sub", key, "30")) {
            assertEquals("+h\r\n", listener.next(WAIT));
            assertEquals("+h\r\n", sub.next(WAIT));
            assertEquals("+h\r\n", tcp.nextReply(WAIT));
            otherListener.push(key, "{\"through\":\"via-m1-listener\"}", 0);
            for (String frame : List.of(listener.next(WAIT), sub.next(WAIT), tcp.nextJson(WAIT))) {
                assertTrue(frame != null && frame.contains("via-m1-listener"), frame);
            }
            // JAX-RS on Payara's port, as before
            CLUSTER.member("m1").http().push(key, "{\"through\":\"via-m1-payara-port\"}", 0);
            String frame = listener.next(WAIT);
            assertTrue(frame != null && frame.contains("via-m1-payara-port"), frame);
        }
    }
}
