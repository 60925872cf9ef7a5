package io.pushcluster.web.socket.listener;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.web.socket.ClientFrames;
import io.pushcluster.web.socket.WebSocketFraming;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.grid.MemberCard;
import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.grid.SoloGrid;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.web.nio.RunningListener;
import io.pushcluster.web.socket.listener.RawClient.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket listener's protocol with the real engine parts, on real loopback sockets, without a server. */
class WebSocketListenerTest {

    private static final String SUBSCRIBE = "key=alice&heartbeat=30";

    private RunningListener listener;
    private ConnectionHub hub;

    private void start(Map<String, String> values) throws IOException {
        start(values, new SoloGrid());
    }

    private void start(Map<String, String> values, Grid grid) throws IOException {
        listener = new RunningListener(new WebSocketListener(), TransportSettings.WEBSOCKET_BIND, values, grid);
        hub = listener.hub();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (listener != null) {
            listener.stop();
        }
    }

    private RawClient connect() {
        return new RawClient(listener.port());
    }

    /** A raw client past the handshake and the {@code +h}. */
    private RawClient subscribed(String query) {
        RawClient client = connect();
        assertTrue(client.handshake(query).startsWith("HTTP/1.1 101 "));
        assertEquals("+h\r\n", client.text());
        return client;
    }

    private static void assertClosedWith(int code, RawClient client) {
        Frame close = client.frame();
        assertNotNull(close, "no close frame");
        assertEquals(WebSocketFraming.CLOSE, close.opcode());
        assertEquals(code, close.closeCode());
        assertTrue(client.closedByServer(), "the server did not end the stream after its close frame");
    }

    @Test
    void theHandshakeIsAnsweredAsRfc6455SaysAndFramesSentWithItAreRead() throws Exception {
        start(Map.of());
        try (RawClient client = connect()) {
            client.send(RawClient.upgrade(SUBSCRIBE));
            client.send(ClientFrames.concat(ClientFrames.heartbeat(), ClientFrames.ping("p")));
            assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", client.head());
            assertEquals("+h\r\n", client.text());
            assertEquals("+h\r\n", client.text());
            Frame pong = client.frame();
            assertEquals(WebSocketFraming.PONG, pong.opcode());
            assertEquals("p", pong.text());
            client.send(ClientFrames.close(4001));
            assertClosedWith(4001, client);
        }
        listener.awaitConnections(0);
    }

    @Test
    void aHandshakeAndFramesArrivingInPiecesAreRead() throws Exception {
        start(Map.of());
        byte[] all = ClientFrames.concat(RawClient.upgrade(SUBSCRIBE + "&ver=1").getBytes(StandardCharsets.US_ASCII),
                ClientFrames.heartbeat());
        try (RawClient client = connect()) {
            for (int from = 0; from < all.length; from += 7) {
                client.send(Arrays.copyOfRange(all, from, Math.min(all.length, from + 7)));
                Thread.sleep(5);
            }
            assertTrue(client.head().startsWith("HTTP/1.1 101 "));
            assertEquals("+h\r\n", client.text());
            assertEquals("+h\r\n", client.text());
        }
    }

    @Test
    void refusalsAreTheRepliesOfSubThenANormalClose() throws Exception {
        start(Map.of(PushSettings.AUTH, "true"), new GridWithAnotherMember());
        Map<Boolean, List<String>> byOwnership = IntStream.range(0, 100).mapToObj(i -> "k" + i)
                .collect(Collectors.partitioningBy(key -> listener.membership().ownsLocally(key)));
        String notOwned = byOwnership.get(false).get(0);
        String owned = byOwnership.get(true).get(0);
        String ownedWithoutTokens = byOwnership.get(true).get(1);
        listener.tokens().add(owned, "good", 0);
        Map<String, String> replies = new LinkedHashMap<>();
        replies.put("key=" + owned, "-p\r\n");
        replies.put("key=" + owned + "&heartbeat=29", "-p\r\n");
        replies.put("key=" + notOwned + "&heartbeat=30&token=good", "-n\r\n");
        replies.put("key=" + ownedWithoutTokens + "&heartbeat=30&token=good", "-c\r\n");
        replies.put("key=" + owned + "&heartbeat=30&token=bad", "-a\r\n");
        for (Map.Entry<String, String> query : replies.entrySet()) {
            try (RawClient client = connect()) {
                assertTrue(client.handshake(query.getKey()).startsWith("HTTP/1.1 101 "), query.getKey());
                assertEquals(query.getValue(), client.text(), query.getKey());
                assertClosedWith(1000, client);
            }
        }
        try (RawClient client = subscribed("key=" + owned + "&heartbeat=30&token=good")) {
            assertEquals(1, hub.connections());
        }
        assertEquals(0, listener.awaitNoneOpen());
    }

    @Test
    void aKeyOverItsLimitIsClosedWithoutAReply() throws Exception {
        start(Map.of(PushSettings.SUBSCRIBERS_PER_KEY, "1"));
        try (RawClient first = subscribed(SUBSCRIBE); RawClient second = connect()) {
            assertTrue(second.handshake(SUBSCRIBE).startsWith("HTTP/1.1 101 "));
            assertClosedWith(1000, second);
            assertEquals(1, hub.connections());
        }
    }

    @Test
    void badHandshakesGetAnHttpErrorAndTheEndOfTheStream() throws Exception {
        start(Map.of(TransportSettings.ORIGINS, "https://app.example", TransportSettings.WEBSOCKET_HANDSHAKE_MAX_BYTES, "1024"));
        Map<String, String> statuses = new LinkedHashMap<>();
        statuses.put(RawClient.upgrade(SUBSCRIBE).replace("/sub?", "/other?"), "404");
        statuses.put(RawClient.upgrade(SUBSCRIBE).replace("GET ", "PUT "), "405");
        statuses.put(RawClient.upgrade(SUBSCRIBE).replace("Version: 13", "Version: 7"), "426");
        statuses.put(RawClient.upgrade(SUBSCRIBE, "Origin: https://evil.example"), "403");
        statuses.put(RawClient.upgrade(SUBSCRIBE, "Cookie: " + "c".repeat(1024)), "400");
        statuses.put("\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n", "400");
        statuses.put("GET /sub?" + SUBSCRIBE + " HTTP/1.1\r\nHost: h\r\n\r\n", "400");
        for (Map.Entry<String, String> request : statuses.entrySet()) {
            try (RawClient client = connect()) {
                client.send(request.getKey());
                String head = client.head();
                assertTrue(head.startsWith("HTTP/1.1 " + request.getValue() + " "), head);
                assertTrue(head.contains("\r\nConnection: close\r\n"), head);
                assertTrue(client.closedByServer());
            }
        }
        try (RawClient allowed = subscribed(SUBSCRIBE + "&ver=1")) {
            assertEquals(1, hub.connections());
        }
        assertEquals(0, listener.awaitNoneOpen(), "refused clients that closed are released");
    }

    @Test
    void framesOtherThanHeartbeatsAndPingsCloseWithTheirCode() throws Exception {
        start(Map.of());
        Map<byte[], Integer> codes = new LinkedHashMap<>();
        codes.put(ClientFrames.text("x"), 1000);
        codes.put(ClientFrames.frame(true, WebSocketFraming.BINARY, new byte[] {'h'}), 1000);
        codes.put(ClientFrames.frame(true, WebSocketFraming.TEXT, new byte[] {'h'}, false), 1002);
        codes.put(ClientFrames.frame(true, 0x3, new byte[0]), 1002);
        codes.put(ClientFrames.text("h".repeat(129)), 1009);
        codes.put(ClientFrames.header(WebSocketFraming.TEXT, Long.MAX_VALUE), 1009);
        for (Map.Entry<byte[], Integer> frame : codes.entrySet()) {
            try (RawClient client = subscribed(SUBSCRIBE)) {
                client.send(frame.getKey());
                assertClosedWith(frame.getValue(), client);
            }
        }
        listener.awaitConnections(0);
    }

    @Test
    void theHubClosingASilentSubscriberSendsACloseFrame() throws Exception {
        start(Map.of());
        try (RawClient client = subscribed(SUBSCRIBE)) {
            listener.awaitConnections(1);
            assertEquals(1, hub.closeSilent(System.nanoTime() + TimeUnit.SECONDS.toNanos(36)));
            assertClosedWith(1000, client);
        }
    }

    @Test
    void socketsThatDoNotUpgradeWithinFiveSecondsAreClosed() throws Exception {
        start(Map.of());
        long start = System.nanoTime();
        try (RawClient silent = connect(); RawClient partial = connect()) {
            partial.send("GET /sub?" + SUBSCRIBE + " HTTP/1.1\r\nHost: h\r\n");
            silent.timeout(10_000);
            partial.timeout(10_000);
            assertTrue(silent.closedByServer());
            assertTrue(partial.closedByServer());
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 4_500 && elapsed < 8_000, "closed after " + elapsed + " ms");
        }
    }

    @Test
    void connectionsOverTheCapAreClosedAtOnce() throws Exception {
        start(Map.of(TransportSettings.WEBSOCKET_MAX_CONNECTIONS, "2"));
        try (RawClient first = connect(); RawClient second = connect(); RawClient third = connect()) {
            assertTrue(third.closedByServer());
            assertTrue(first.handshake(SUBSCRIBE).startsWith("HTTP/1.1 101 "));
            assertTrue(second.handshake(SUBSCRIBE).startsWith("HTTP/1.1 101 "));
            assertEquals("+h\r\n", first.text());
            assertEquals("+h\r\n", second.text());
        }
        assertEquals(0, listener.awaitNoneOpen());
        try (RawClient later = subscribed(SUBSCRIBE)) {
            assertEquals(1, listener.server().openConnections());
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsClosedWhenItsQueueIsFull() throws Exception {
        start(Map.of(PushSettings.SEND_QUEUE, "3"));
        try (RawClient slow = subscribed(SUBSCRIBE)) {
            listener.awaitConnections(1);
            listener.pushUntilDisconnected("alice");
            assertEquals(1L, listener.stats().connectionCounters().get("slowDisconnects"));
            assertTrue(slow.closedByServer());
        }
    }

    @Test
    void stoppingClosesEverySocket() throws Exception {
        start(Map.of());
        try (RawClient subscribed = subscribed(SUBSCRIBE); RawClient silent = connect()) {
            assertTrue(listener.stop());
            assertTrue(subscribed.closedByServer());
            assertTrue(silent.closedByServer());
            assertEquals(0, hub.connections());
            assertEquals(0, listener.server().openConnections());
        }
    }

    /** This node and one more member, which owns some of the keys. */
    private static final class GridWithAnotherMember implements Grid {

        private final SoloGrid local = new SoloGrid();

        @Override
        public String localId() {
            return local.localId();
        }

        @Override
        public String localHost() {
            return local.localHost();
        }

        @Override
        public void publish(MemberCard card) {
            local.publish(card);
        }

        @Override
        public void withdraw() {
            local.withdraw();
        }

        @Override
        public Map<String, MemberCard> liveCards() {
            Map<String, MemberCard> cards = new LinkedHashMap<>(local.liveCards());
            cards.put("another", new MemberCard("node-2", 1, List.of("127.0.0.2:7080"), List.of()));
            return cards;
        }

        @Override
        public Set<String> memberIds() {
            return Set.of(local.localId(), "another");
        }

        @Override
        public void onChange(Runnable listener) {
            local.onChange(listener);
        }

        @Override
        public void send(String memberId, byte[] payload) {
            local.send(memberId, payload);
        }

        @Override
        public void onReceive(Consumer<byte[]> receiver) {
            local.onReceive(receiver);
        }

        @Override
        public SharedMap sharedMap(String name) {
            return local.sharedMap(name);
        }

        @Override
        public void leave() {
            local.leave();
        }
    }
}
