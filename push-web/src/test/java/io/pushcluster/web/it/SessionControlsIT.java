package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single login, kicks, bans and the frame rate, end to end on every transport ({@code /sub} on
 * Payara's port, the WebSocket listener of our own, TCP) of a two-member cluster, with the admin calls
 * made through the member that does not own the key; and a client address denied at run time through
 * one member, refused by the other.
 */
class SessionControlsIT {

    private static final long WAIT = 10_000;
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final List<String> KEYS = IntStream.range(0, 60).mapToObj(i -> "s" + RUN + "-" + i).toList();
    private static final int FRAMES_PER_SECOND = 5;

    @RegisterExtension
    static final MicroCluster CLUSTER = MicroCluster.of(2).withDefaultListeners()
            .with("push.subscribers.per-key", "1")
            .with("push.subscribers.on-excess", "kick-oldest")
            .with("push.limit.client-frames-per-second", Integer.toString(FRAMES_PER_SECOND));

    private static int next;

    /** A key no other test uses, owned by m2, and the member that does not own it (m1). */
    private static synchronized String keyOfM2() {
        Map<String, String> owners = CLUSTER.member("m1").owners(KEYS);
        while (next < KEYS.size()) {
            String key = KEYS.get(next++);
            if (owners.get(key).equals("m2")) {
                return key;
            }
        }
        throw new AssertionError("m2 owns too few of " + KEYS.size() + " keys");
    }

    private static MicroMember owner() {
        return CLUSTER.member("m2");
    }

    private static MicroMember other() {
        return CLUSTER.member("m1");
    }

    /** A subscriber on one transport, read the same way whatever it is. */
    private interface Subscriber extends AutoCloseable {
        String nextReply();

        /** The JSON of the next push. */
        String nextMessage();

        /** The WebSocket close code, or 0 for a TCP connection the server closed; -1 when still open. */
        int closedWith();

        void heartbeats(int count);

        @Override
        void close();
    }

    private static Subscriber sub(String key) {
        return ws(WsClient.connect(owner().http(), "key=" + key + "&heartbeat=30&ver=1"));
    }

    private static Subscriber listener(String key) {
        return ws(WsClient.connect("127.0.0.1:" + (owner().httpPort() + 1000), "key=" + key + "&heartbeat=30&ver=1"));
    }

    private static Subscriber ws(WsClient client) {
        return new Subscriber() {
            @Override
            public String nextReply() {
                return client.next(WAIT);
            }

            @Override
            public String nextMessage() {
                return client.next(WAIT);
            }

            @Override
            public int closedWith() {
                return client.closeCode(WAIT);
            }

            @Override
            public void heartbeats(int count) {
                try {
                    for (int i = 0; i < count && client.isOpen(); i++) {
                        client.send("h");
                    }
                } catch (RuntimeException closedMeanwhile) {
                    // the server may close the connection before the last ones are sent
                }
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static Subscriber tcp(String key) {
        TcpClient client = new TcpClient(owner().httpPort() + 3000).subscribe("sub", key, "30", "1");
        return new Subscriber() {
            @Override
            public String nextReply() {
                return client.nextReply(WAIT);
            }

            @Override
            public String nextMessage() {
                return client.nextJson(WAIT);
            }

            @Override
            public int closedWith() {
                return client.closedByServerWithin(WAIT) ? 0 : -1;
            }

            @Override
            public void heartbeats(int count) {
                client.send("h".repeat(count));
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private interface Transport {
        Subscriber open(String key);
    }

    private static final Map<String, Transport> TRANSPORTS = Map.of("/sub", SessionControlsIT::sub,
            "WebSocket listener", SessionControlsIT::listener, "TCP", SessionControlsIT::tcp);

    /** The close code a transport's subscriber ended with a WebSocket code gets: TCP has none. */
    private static int expectedClose(String transport, int webSocketCode) {
        return transport.equals("TCP") ? 0 : webSocketCode;
    }

    @Test
    void aNewConnectionOfAKeyKicksTheOlderOneOnAndAcrossEveryTransport() {
        List<List<String>> pairs = List.of(List.of("/sub", "WebSocket listener"), List.of("WebSocket listener", "TCP"),
                List.of("TCP", "/sub"), List.of("TCP", "TCP"));
        for (List<String> pair : pairs) {
            String key = keyOfM2();
            try (Subscriber older = TRANSPORTS.get(pair.get(0)).open(key)) {
                assertEquals("+h\r\n", older.nextReply(), pair.toString());
                try (Subscriber newer = TRANSPORTS.get(pair.get(1)).open(key)) {
                    assertEquals("+h\r\n", newer.nextReply(), pair.toString());
                    assertEquals("-k\r\n", older.nextReply(), "the older one is told why: " + pair);
                    assertEquals(expectedClose(pair.get(0), 4409), older.closedWith(), pair.toString());
                    other().http().push(key, "{\"to\":\"newer\"}", 0);
                    String frame = newer.nextMessage();
                    assertTrue(frame != null && frame.contains("newer"), pair + ": " + frame);
                    assertEquals(1, online(key), pair.toString());
                }
            }
        }
    }

    @Test
    void anAdminKickThroughTheMemberThatDoesNotOwnTheKeyClosesItsConnectionOnTheOwner() {
        for (String transport : List.of("/sub", "WebSocket listener", "TCP")) {
            String key = keyOfM2();
            try (Subscriber subscriber = TRANSPORTS.get(transport).open(key)) {
                assertEquals("+h\r\n", subscriber.nextReply(), transport);
                JsonObject reply = other().http().post("/1/admin/kick?key=" + key, "").json();
                assertEquals(0, reply.getInt("ret"), reply.toString());
                assertEquals(1, reply.getJsonObject("data").getInt("closed"), transport);
                assertEquals("-k\r\n", subscriber.nextReply(), transport);
                assertEquals(expectedClose(transport, 4409), subscriber.closedWith(), transport);
            }
            try (Subscriber again = TRANSPORTS.get(transport).open(key)) {
                assertEquals("+h\r\n", again.nextReply(), "a kicked key may subscribe again: " + transport);
            }
        }
    }

    @Test
    void aBanClosesTheKeysConnectionsAndRefusesItsSubscribesEverywhereUntilLifted() {
        String key = keyOfM2();
        try (Subscriber subscriber = listener(key)) {
            assertEquals("+h\r\n", subscriber.nextReply());
            JsonObject reply = other().http().post("/1/admin/ban?key=" + key + "&seconds=600", "").json();
            assertEquals(0, reply.getInt("ret"), reply.toString());
            assertEquals(1, reply.getJsonObject("data").getInt("closed"));
            assertEquals("-b\r\n", subscriber.nextReply());
            assertEquals(4403, subscriber.closedWith());
        }
        for (String transport : List.of("/sub", "WebSocket listener", "TCP")) {
            try (Subscriber refused = TRANSPORTS.get(transport).open(key)) {
                assertEquals("-b\r\n", refused.nextReply(), transport);
            }
        }
        try (WsClient atOther = WsClient.connect(other().http(), "key=" + key + "&heartbeat=30")) {
            assertEquals("-b\r\n", atOther.next(WAIT), "the member that does not own it refuses it as banned too");
        }
        assertEquals(65534, other().http().post("/1/admin/ban?key=" + key + "&seconds=0", "").ret(),
                "a ban of no time is a bad parameter");
        assertEquals(65534, other().http().post("/1/admin/ban?key=" + key, "").ret(), "seconds is required");

        assertEquals(0, owner().http().post("/1/admin/unban?key=" + key, "").ret());
        for (String transport : List.of("/sub", "WebSocket listener", "TCP")) {
            try (Subscriber back = TRANSPORTS.get(transport).open(key)) {
                assertEquals("+h\r\n", back.nextReply(), "unbanned: " + transport);
            }
        }
    }

    @Test
    void aSubscriberSendingMoreFramesASecondThanAllowedIsClosedOnEveryTransport() {
        long before = counter("tooManyFrames");
        for (String transport : List.of("/sub", "WebSocket listener", "TCP")) {
            String key = keyOfM2();
            try (Subscriber calm = TRANSPORTS.get(transport).open(key)) {
                assertEquals("+h\r\n", calm.nextReply(), transport);
                calm.heartbeats(FRAMES_PER_SECOND - 1);
                for (int i = 0; i < FRAMES_PER_SECOND - 1; i++) {
                    assertEquals("+h\r\n", calm.nextReply(), "heartbeat " + i + " within the limit: " + transport);
                }
            }
            try (Subscriber flooding = TRANSPORTS.get(transport).open(keyOfM2())) {
                assertEquals("+h\r\n", flooding.nextReply(), transport);
                flooding.heartbeats(FRAMES_PER_SECOND * 4);
                assertEquals(expectedClose(transport, 1008), flooding.closedWith(), transport);
            }
        }
        assertTrue(counter("tooManyFrames") - before >= 3, "each closed connection is counted");
    }

    @Test
    void aBlockDeniedThroughOneMemberIsRefusedByTheOtherUntilAllowedThroughIt() {
        String source = "127.0.0.12";
        String subscribe = new String(TcpClient.command("sub", keyOfM2(), "30"), StandardCharsets.US_ASCII);
        assertEquals(0, other().http().post("/1/admin/ip/deny?cidr=" + source + "/32&seconds=600", "").ret());
        assertTrue(owner().http().get("/1/admin/ip/denied").body().contains(source + "/32"),
                "the other member lists the denial");
        assertEquals("", RawHttp.sendFrom(source, owner().httpPort() + 3000, subscribe).text(),
                "the other member's TCP listener closes the denied client unread");
        assertEquals(403, RawHttp.sendFrom(source, owner().httpPort(), "GET /1/time/get HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n").status(), "and its Payara port answers 403");
        assertEquals(0, owner().http().post("/1/admin/ip/allow?cidr=" + source + "/32", "").ret());
        assertTrue(RawHttp.sendFrom(source, owner().httpPort() + 3000, subscribe).text().startsWith("+h"),
                "allowed again through the other member");
    }

    private static long counter(String name) {
        return owner().http().get("/1/admin/stats").json().getJsonObject("data").getJsonObject("connections")
                .getJsonNumber(name).longValue();
    }

    private static int online(String key) {
        return other().http().get("/1/admin/presence?k=" + key).json().getJsonObject("data").getInt(key);
    }
}
