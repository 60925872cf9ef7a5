package io.pushcluster.engine.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The grid over real Hazelcast members in this JVM, joined over TCP on loopback. */
class HazelcastGridTest {

    private final String clusterName = "push-test-" + UUID.randomUUID();
    private final int basePort = freePortRange();
    private final List<HazelcastInstance> instances = new ArrayList<>();

    private static int freePortRange() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HazelcastGrid member() {
        Config config = new Config().setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.socket.bind.any", "false");
        // members on loopback find each other at once; the defaults wait seconds for more to come
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        NetworkConfig network = config.getNetworkConfig().setPort(basePort).setPortAutoIncrement(true).setPortCount(5);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int port = basePort; port < basePort + 5; port++) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + port);
        }
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
        instances.add(instance);
        return new HazelcastGrid(instance);
    }

    @AfterEach
    void shutDown() {
        instances.forEach(HazelcastInstance::shutdown);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void membersSeeEachOthersCardsAndHearOfChanges() throws InterruptedException {
        HazelcastGrid first = member();
        AtomicInteger changes = new AtomicInteger();
        first.onChange(changes::incrementAndGet);
        first.publish(new MemberCard("m1", 1, List.of("127.0.0.1:1"), List.of()));
        HazelcastGrid second = member();
        second.publish(new MemberCard("m2", 2, List.of("127.0.0.1:2"), List.of("127.0.0.1:3")));

        await("both cards on both members", () -> first.liveCards().size() == 2 && second.liveCards().size() == 2);
        assertEquals(List.of(first.localId(), second.localId()), new ArrayList<>(first.liveCards().keySet()),
                "members in join order");
        assertEquals(2, first.liveCards().get(second.localId()).weight());
        assertEquals("127.0.0.1", first.localHost());
        await("the first member heard of the second", () -> changes.get() >= 2);

        second.leave();
        await("a card withdrawn on leave", () -> first.liveCards().size() == 1);
    }

    @Test
    void aMemberThatStopsWithoutLeavingIsNoLongerLive() throws InterruptedException {
        HazelcastGrid first = member();
        first.publish(new MemberCard("m1", 1, List.of(), List.of()));
        HazelcastGrid second = member();
        second.publish(new MemberCard("m2", 1, List.of(), List.of()));
        await("two live cards", () -> first.liveCards().size() == 2);
        instances.get(1).getLifecycleService().terminate();
        await("the stopped member's card no longer counts", () -> first.liveCards().size() == 1);
        assertTrue(first.liveCards().containsKey(first.localId()));
    }

    @Test
    void sendingToAMemberThatHasGoneFailsInsteadOfVanishing() throws InterruptedException {
        HazelcastGrid first = member();
        HazelcastGrid second = member();
        await("two members", () -> instances.get(0).getCluster().getMembers().size() == 2);
        String gone = second.localId();
        instances.get(1).getLifecycleService().terminate();
        await("the second has left", () -> instances.get(0).getCluster().getMembers().size() == 1);
        assertThrows(IllegalStateException.class, () -> first.send(gone, new byte[] {1}));
    }

    @Test
    void sendReachesOnlyTheNamedMember() throws InterruptedException {
        HazelcastGrid first = member();
        HazelcastGrid second = member();
        HazelcastGrid third = member();
        BlockingQueue<byte[]> atSecond = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> atThird = new LinkedBlockingQueue<>();
        second.onReceive(atSecond::add);
        third.onReceive(atThird::add);
        await("three members", () -> instances.get(0).getCluster().getMembers().size() == 3);
        for (int i = 0; i < 20; i++) {
            first.send(second.localId(), new byte[] {(byte) i});
        }
        for (int i = 0; i < 20; i++) {
            byte[] received = atSecond.poll(10, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {(byte) i}, received, "in the order sent");
        }
        assertNull(atThird.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void sharedMapsAreSharedAndCompareBeforeTheySet() {
        HazelcastGrid first = member();
        HazelcastGrid second = member();
        SharedMap a = first.sharedMap("push.test");
        SharedMap b = second.sharedMap("push.test");
        assertNull(a.putIfAbsent("k", "v1"));
        assertEquals("v1", b.putIfAbsent("k", "other"));
        assertFalse(b.replace("k", "stale", "v2"));
        assertTrue(b.replace("k", "v1", "v2"));
        assertEquals("v2", a.get("k"));
        assertFalse(a.remove("k", "v1"));
        assertTrue(a.remove("k", "v2"));
        assertNull(b.get("k"));
    }
}
