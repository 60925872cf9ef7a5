package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A default listener whose derived address another process holds: a member given no listener setting
 * whose HTTP port + 1000 (the WebSocket listener's default) is taken before it starts leaves that
 * listener off with a warning, and the deployment goes on: the HTTP and TCP listeners of our own open
 * on their defaults, {@code /1/server/get} names Payara's port ({@code /sub}) for WebSocket clients,
 * and subscribers there and on TCP get what is pushed through the HTTP listener.
 */
class TakenDefaultPortIT {

    private static final long WAIT = 10_000;

    @RegisterExtension
    static final MicroCluster CLUSTER = MicroCluster.of(1).withDefaultListeners().takingDerivedPort(1000);

    private static MicroMember member() {
        return CLUSTER.member("m1");
    }

    @Test
    void theTakenListenerIsOffWithAWarningAndTheOthersListen() {
        JsonObject config = member().http().get("/1/admin/stats").json().getJsonObject("data").getJsonObject("config");
        assertEquals("off", config.getString("push.websocket.bind"));
        assertEquals("127.0.0.1:" + (member().httpPort() + 2000), config.getString("push.http.bind"));
        assertEquals("127.0.0.1:" + (member().httpPort() + 3000), config.getString("push.tcp.bind"));
        String log = member().log();
        assertTrue(log.contains("not listening on 127.0.0.1:" + (member().httpPort() + 1000)), "the warning is logged");
    }

    @Test
    void webSocketClientsAreSentToSubAndEveryoneGetsPushesThroughTheHttpListener() {
        String key = "taken-" + System.nanoTime();
        JsonObject ws = member().http().get("/1/server/get?k=" + key + "&p=1").json();
        assertEquals("127.0.0.1:" + member().httpPort(), ws.getJsonObject("data").getString("server"));
        JsonObject tcpAddress = new Http(member().httpPort() + 2000).get("/1/server/get?k=" + key + "&p=2").json();
        assertEquals("127.0.0.1:" + (member().httpPort() + 3000), tcpAddress.getJsonObject("data").getString("server"));
        try (WsClient sub = WsClient.connect(member().http(), "key=" + key + "&heartbeat=30&ver=1");
                TcpClient tcp = new TcpClient(member().httpPort() + 3000).subscribe("sub", key, "30")) {
            assertEquals("+h\r\n", sub.next(WAIT));
            assertEquals("+h\r\n", tcp.nextReply(WAIT));
            new Http(member().httpPort() + 2000).push(key, "{\"through\":\"http-listener\"}", 0);
            for (String frame : List.of(sub.next(WAIT), tcp.nextJson(WAIT))) {
                assertTrue(frame != null && frame.contains("http-listener"), frame);
            }
        }
    }
}
