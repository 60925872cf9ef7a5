package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.cluster.AccessControls;
import io.pushcluster.engine.connection.Ending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.TransportKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The subscriber's session over a transport that takes bytes as the test lets it: {@code +h} before
 * any push, the bounded queue, the heartbeat, the last frame, whole frames under concurrent writers.
 */
class SubscriberSessionTest {

    private static final String KEY = "Terry-Mao";
    private static final int SEND_QUEUE = 4;

    /** A transport whose peer takes at most {@code window} bytes per write; 0 stalls it. */
    private static final class FakeTransport implements Transport {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Boolean> awaitCalls = new ArrayList<>();
        byte[] refusal;
        boolean closed;
        SubscriberSession session;
        int window = Integer.MAX_VALUE;
        Consumer<SubscriberSession> onSubscribed = session -> { };

        @Override
        public synchronized void writeSome(ByteBuffer bytes) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            int take = Math.min(window, bytes.remaining());
            byte[] taken = new byte[take];
            bytes.get(taken);
            received.write(taken, 0, take);
        }

        @Override
        public synchronized void awaitWritable(boolean await) {
            awaitCalls.add(await);
        }

        @Override
        public synchronized boolean isClosed() {
            return closed;
        }

        @Override
        public void refuse(byte[] reply) {
            refusal = reply;
            closeTransport();
        }

        @Override
        public void subscribed(SubscriberSession session) {
            this.session = session;
            onSubscribed.accept(session);
        }

        @Override
        public synchronized void closeTransport() {
            closed = true;
        }

        synchronized String text() {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    /** Frames as plain text: easy to read back and to check for interleaving. */
    private static final class TextFraming implements Framing {
        @Override
        public byte[] message(String json) {
            return ("M" + json + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] heartbeat() {
            return Replies.HEARTBEAT.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] refusal(String reply) {
            return reply == null ? null : reply.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] farewell() {
            return "BYE".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] ending(Ending why) {
            return ("END " + why).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final PushSettings settings = new PushSettings(name -> Optional.ofNullable(Map.of(
            PushSettings.SEND_QUEUE, Integer.toString(SEND_QUEUE),
            PushSettings.SUBSCRIBERS_PER_KEY, "1").get(name)));
    private final PushStats stats = new PushStats();
    private final ConnectionHub hub = new ConnectionHub(settings, stats);
    private final Subscriptions subscriptions = new Subscriptions(settings,
            new SubscribeGate(settings, new Membership(settings), new Tokens(16, System::currentTimeMillis),
                    AccessControls.alone(settings, hub)),
            hub, stats, new TextFraming(), TransportKind.TCP);
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static Optional<SubscribeRequest> request(String key) {
        return Optional.of(new SubscribeRequest(key, 30, "", Optional.of("1")));
    }

    private static PushedMessage message(long mid) {
        return new PushedMessage(mid, PushedMessage.PRIVATE, Long.toString(mid));
    }

    private static String frame(long mid) {
        return "M" + message(mid).versionedForm() + "\n";
    }

    @Test
    void aPushDeliveredWhileTheSubscribeCompletesComesAfterTheSubscribeReply() {
        FakeTransport transport = new FakeTransport();
        // the hub holds the session already when the transport hears of it: a push can arrive now
        transport.onSubscribed = session -> assertEquals(1, hub.deliver(KEY, message(7)));

        subscriptions.subscribe(request(KEY), transport);

        assertEquals(Replies.HEARTBEAT + frame(7), transport.text());
        assertEquals(1, hub.connectionsOf(KEY));
    }

    @Test
    void invalidParametersAreRefusedWithMinusP() {
        FakeTransport transport = new FakeTransport();

        subscriptions.subscribe(Optional.empty(), transport);

        assertEquals(Replies.BAD_PARAMETER, new String(transport.refusal, StandardCharsets.US_ASCII));
        assertTrue(transport.closed);
        assertEquals(0, hub.connections());
    }

    @Test
    void aKeyAtItsCapRefusesTheNextSubscriberWithoutAReplyAndKeepsTheFirst() {
        FakeTransport first = new FakeTransport();
        FakeTransport second = new FakeTransport();

        subscriptions.subscribe(request(KEY), first);
        subscriptions.subscribe(request(KEY), second);

        assertTrue(second.closed);
        assertNull(second.refusal, "gopush-cluster closes a subscriber over the cap without a reply");
        assertEquals("", second.text(), "not even +h went out before the hub refused it");
        assertFalse(first.closed);
        assertEquals(1, hub.deliver(KEY, message(1)));
        assertEquals(Replies.HEARTBEAT + frame(1), first.text());
    }

    @Test
    void whatAStalledTransportDoesNotTakeWaitsInOrderThenDrains() {
        FakeTransport transport = new FakeTransport();
        subscriptions.subscribe(request(KEY), transport);
        transport.window = 3;

        hub.deliver(KEY, message(1));
        hub.deliver(KEY, message(2));
        assertEquals(List.of(true), transport.awaitCalls, "the transport is asked once to say when it drains");

        transport.window = Integer.MAX_VALUE;
        transport.session.writable();

        assertEquals(Replies.HEARTBEAT + frame(1) + frame(2), transport.text());
        assertEquals(List.of(true, false), transport.awaitCalls);
    }

    @Test
    void aSubscriberThatLetsMoreThanTheQueuePileUpIsDisconnectedAndLeavesTheHub() {
        FakeTransport transport = new FakeTransport();
        subscriptions.subscribe(request(KEY), transport);
        transport.window = 0;

        for (int mid = 1; mid <= SEND_QUEUE; mid++) {
            assertEquals(1, hub.deliver(KEY, message(mid)), "frame " + mid + " fits the queue");
        }
        assertFalse(transport.closed);

        hub.deliver(KEY, message(SEND_QUEUE + 1));

        assertTrue(transport.closed);
        assertEquals(0, hub.connectionsOf(KEY));
        assertEquals(1L, stats.connectionCounters().get("slowDisconnects"));
        assertFalse(transport.session.send(message(99)), "a closed session takes no more");
    }

    @Test
    void theLastFrameGoesOutOnlyWhenNothingWaitsBeforeIt() {
        FakeTransport idle = new FakeTransport();
        subscriptions.subscribe(request(KEY), idle);
        idle.session.close();
        assertEquals(Replies.HEARTBEAT + "BYE", idle.text());
        assertTrue(idle.closed);

        FakeTransport behind = new FakeTransport();
        subscriptions.subscribe(request(KEY), behind);
        behind.window = 0;
        hub.deliver(KEY, message(1));
        behind.session.close();
        assertEquals(Replies.HEARTBEAT, behind.text(), "no farewell cut into a frame half written");
        assertTrue(behind.closed);
        assertEquals(0, hub.connections());
    }

    @Test
    void aSubscriberOverTheFrameRateIsEndedSayingWhyAndCounted() {
        FakeTransport transport = new FakeTransport();
        subscriptions.subscribe(request(KEY), transport);
        int limit = settings.clientFramesPerSecond();
        assertTrue(limit > 0, "the rate limit is on by default");

        for (int frame = 1; frame <= limit; frame++) {
            assertTrue(transport.session.frameArrived(), "frame " + frame + " is within the limit");
        }
        assertFalse(transport.closed);
        assertFalse(transport.session.frameArrived(), "one frame more within the second is too many");

        assertTrue(transport.closed);
        assertEquals(Replies.HEARTBEAT + "END TOO_MANY_FRAMES", transport.text());
        assertEquals(0, hub.connectionsOf(KEY));
        assertEquals(1L, stats.connectionCounters().get("tooManyFrames"));
    }

    @Test
    void aBannedKeyIsRefusedWithMinusBAndAKickedOneIsToldWhy() {
        AccessControls access = AccessControls.alone(settings, hub);
        Subscriptions guarded = new Subscriptions(settings, new SubscribeGate(settings, new Membership(settings),
                new Tokens(16, System::currentTimeMillis), access), hub, stats, new TextFraming(), TransportKind.TCP);
        FakeTransport kicked = new FakeTransport();
        guarded.subscribe(request(KEY), kicked);

        assertEquals(1, access.kick(KEY));
        assertEquals(Replies.HEARTBEAT + "END KICKED", kicked.text());
        assertTrue(kicked.closed);

        FakeTransport banned = new FakeTransport();
        guarded.subscribe(request(KEY), banned);
        assertEquals(1, access.ban(KEY, 60));
        assertEquals(Replies.HEARTBEAT + "END BANNED", banned.text());

        FakeTransport refused = new FakeTransport();
        guarded.subscribe(request(KEY), refused);
        assertEquals(Replies.BANNED, new String(refused.refusal, StandardCharsets.US_ASCII));
        assertEquals(0, hub.connectionsOf(KEY));

        access.unban(KEY);
        FakeTransport back = new FakeTransport();
        guarded.subscribe(request(KEY), back);
        assertFalse(back.closed);
        assertEquals(1, hub.connectionsOf(KEY));
        Map<String, Long> counters = stats.connectionCounters();
        assertEquals(List.of(1L, 1L, 1L), List.of(counters.get("kicked"), counters.get("banned"),
                counters.get("refusedBanned")));
    }

    @Test
    void aHeartbeatIsNotedAndAnswered() {
        FakeTransport transport = new FakeTransport();
        subscriptions.subscribe(request(KEY), transport);
        long before = System.nanoTime();

        assertTrue(transport.session.heartbeat());

        assertTrue(transport.session.lastHeardNanos() >= before, "the heartbeat's time is noted");
        assertEquals(Replies.HEARTBEAT + Replies.HEARTBEAT, transport.text());
    }

    @Test
    void concurrentWritersOverADrainingTransportLoseNoFrameAndSplitNone() throws Exception {
        Map<String, String> big = Map.of(PushSettings.SEND_QUEUE, "100000");
        PushSettings roomy = new PushSettings(name -> Optional.ofNullable(big.get(name)));
        ConnectionHub roomyHub = new ConnectionHub(roomy, stats);
        Subscriptions roomySubscriptions = new Subscriptions(roomy,
                new SubscribeGate(roomy, new Membership(roomy), new Tokens(16, System::currentTimeMillis),
                        AccessControls.alone(roomy, roomyHub)),
                roomyHub, stats, new TextFraming(), TransportKind.TCP);
        FakeTransport transport = new FakeTransport();
        roomySubscriptions.subscribe(request(KEY), transport);
        transport.window = 5;
        int writers = 8;
        int perWriter = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perWriter; i++) {
                    roomyHub.deliver(KEY, message(writer * 1_000_000L + i));
                    if (i % 7 == 0) {
                        transport.session.writable();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        transport.window = Integer.MAX_VALUE;
        transport.session.writable();

        String[] lines = transport.text().substring(Replies.HEARTBEAT.length()).split("\n");
        assertEquals(writers * perWriter, lines.length);
        long[] next = new long[writers];
        for (String line : lines) {
            assertTrue(line.startsWith("M{\"msg\":"), () -> "a frame was split or interleaved: " + line);
            long mid = Long.parseLong(line.substring(line.indexOf("\"mid\":") + 6, line.indexOf(",\"gid\"")));
            int writer = (int) (mid / 1_000_000L);
            assertEquals(next[writer]++, mid % 1_000_000L, "each writer's frames leave in the order written");
        }
    }
}
