package io.pushcluster.engine.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.engine.cluster.DeliveryRouter;
import io.pushcluster.engine.grid.FakeGrid;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.OwnerRequests;
import io.pushcluster.engine.cluster.Presence;
import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.group.Groups;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.FakeConnection;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.StoreUnavailableException;
import io.pushcluster.engine.store.memory.InMemoryMessageStore;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Pushes accepted by any member are done by the key's owner, which alone gives their mids and orders
 * their delivery: two members pushing to one key at once, through one slow and flaky store they share,
 * still deliver exactly what they answered, each once, in mid order.
 */
class PushesAcrossMembersTest {

    private FakeGrid.Cluster cluster = new FakeGrid.Cluster();
    /** The idempotency records every member shares, as Hazelcast's map would be. */
    private final SharedMap records = SharedMap.inMemory();

    /** One member: its hub, its pushes, the grid it shares. */
    private final class Member {
        final PushStats stats = new PushStats();
        final PushSettings settings;
        final ConnectionHub hub;
        final Membership membership;
        final Pushes pushes;
        final OwnerRequests requests;

        Member(String id, String name, MessageStore store) {
            settings = new PushSettings(key -> Optional.ofNullable(Map.of(PushSettings.NODE_NAME, name).get(key)));
            FakeGrid grid = cluster.join(id);
            hub = new ConnectionHub(settings, stats);
            membership = new Membership(settings, grid);
            requests = new OwnerRequests(grid);
            DeliveryRouter router = new DeliveryRouter(membership, grid, hub, stats, requests);
            router.listen();
            membership.follow(Runnable::run, () -> { });
            membership.enter();
            pushes = WiredPushes.of(settings, store, membership, requests, router,
                    new IdempotencyKeys(records, membership::liveMemberIds, grid.localId(), store, 600,
                            System::currentTimeMillis), stats);
            Presence presence = new Presence(membership, hub, requests);
            presence.serveOtherMembers();
            pushes.presence = presence;
        }
    }

    /**
     * A store both members share, each save taking a random time, one in twenty failing. A save for
     * many keys fails or succeeds whole, as one transaction of the JPA store or one Redis server does.
     */
    private static MessageStore slowFlakyStore() {
        return new InMemoryMessageStore(100_000) {
            @Override
            public void save(String key, StoredMessage message) {
                slowOrFailing();
                super.save(key, message);
            }

            @Override
            public void saveForKeys(java.util.Collection<String> keys, StoredMessage message) {
                slowOrFailing();
                keys.forEach(key -> super.save(key, message));
            }

            private void slowOrFailing() {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                LockSupport.parkNanos(random.nextInt(3_000_000));
                if (random.nextInt(20) == 0) {
                    throw new StoreUnavailableException("flaky");
                }
            }
        };
    }

    private static String keyOwnedBy(Member owner, Member other) {
        for (int i = 0; ; i++) {
            String key = "key-" + i;
            if (owner.membership.ownsLocally(key) && !other.membership.ownsLocally(key)) {
                return key;
            }
        }
    }

    @Test
    void pushesThroughTwoMembersToOneKeyAreOrderedByItsOwnerAndDeliveredExactlyAsAnswered() throws Exception {
        MessageStore store = slowFlakyStore();
        Member a = new Member("a", "m1", store);
        Member b = new Member("b", "m2", store);
        String key = keyOwnedBy(b, a);
        FakeConnection subscriber = new FakeConnection(key);
        b.hub.add(subscriber);

        ConcurrentPushers run = ConcurrentPushers.run(8, 150, List.of(key), thread -> thread % 2 == 0 ? a.pushes : b.pushes);
        run.assertDeliveredAndStoredAsAnswered(subscriber, store);
        assertTrue(a.stats.messageCounters().get("forwarded") > 0, "a asked b, the owner");
        assertEquals(0L, b.stats.messageCounters().get("forwarded"), "b did its pushes itself");
    }

    /**
     * Public pushes accepted by every member of three are ordered by the owner of the public stream and
     * reach the connections of every member, each once, in pmid order; one grid message per member and
     * public push, however many keys each member holds.
     */
    @Test
    void publicPushesThroughThreeMembersReachEveryMembersConnectionsOnceInPmidOrder() throws Exception {
        MessageStore store = slowFlakyStore();
        List<Member> members = List.of(new Member("a", "m1", store), new Member("b", "m2", store),
                new Member("c", "m3", store));
        List<FakeConnection> subscribers = new ArrayList<>();
        for (Member member : members) {
            for (int i = 0; i < 3; i++) {
                FakeConnection connection = new FakeConnection(member.settings.nodeName() + "-key-" + i);
                subscribers.add(connection);
                member.hub.add(connection);
            }
        }
        Set<Long> answered = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Pushes through = members.get(t % 3).pushes;
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 60; i++) {
                    try {
                        answered.add(through.pushPublic("{\"t\":" + thread + ",\"i\":" + i + "}", i % 2 == 0 ? 0 : 60));
                    } catch (PushFailedException e) {
                        // the flaky store refused it: it must reach no one
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(60_000);
            assertFalse(thread.isAlive());
        }
        assertTrue(answered.size() > 200, answered.size() + " answered");
        for (FakeConnection subscriber : subscribers) {
            List<Long> pmids = subscriber.received.stream().map(PushedMessage::mid).toList();
            assertEquals(answered, Set.copyOf(pmids), subscriber.key());
            assertEquals(answered.size(), pmids.size(), "each once at " + subscriber.key());
            for (int i = 1; i < pmids.size(); i++) {
                assertTrue(pmids.get(i) > pmids.get(i - 1), "pmid order at " + subscriber.key());
            }
        }
        long forwards = members.stream().mapToLong(m -> m.stats.messageCounters().get("forwarded")).sum();
        assertTrue(forwards <= 3L * 2 * 360, "at most one grid message per other member and push, and one ask: " + forwards);
    }

    /**
     * A group push of 30 keys owned by three members: each subscriber gets it once, and the member that
     * takes the push sends one request to each other owner, never one per key.
     */
    @Test
    void aGroupPushAsksEachOtherOwnerOnceHoweverManyOfTheGroupsKeysItOwns() {
        MessageStore store = new InMemoryMessageStore(20);
        List<Member> members = List.of(new Member("a", "m1", store), new Member("b", "m2", store),
                new Member("c", "m3", store));
        SharedMap keysByGroup = SharedMap.inMemory();
        SharedMap groupsByKey = SharedMap.inMemory();
        members.forEach(m -> m.pushes.groups = new Groups(m.settings, keysByGroup, groupsByKey));
        List<String> keys = java.util.stream.IntStream.range(0, 30).mapToObj(i -> "member-" + i).toList();
        List<FakeConnection> subscribers = new ArrayList<>();
        for (String key : keys) {
            Member owner = members.stream().filter(m -> m.membership.ownsLocally(key)).findFirst().orElseThrow();
            FakeConnection connection = new FakeConnection(key);
            owner.hub.add(connection);
            subscribers.add(connection);
        }
        members.get(1).pushes.addToGroup("team", keys);
        int sendsBefore = cluster.sends.size();
        assertEquals(List.of(), members.get(0).pushes.pushToGroup("team", "{\"all\":1}", 60));
        assertEquals(sendsBefore + 2 * 2, cluster.sends.size(), "one request to each other owner and its reply");
        for (FakeConnection subscriber : subscribers) {
            assertEquals(1, subscriber.received.size(), subscriber.key());
        }
        assertEquals(List.of("member-3"), members.get(2).pushes.groupKeys("team", "member-29", 1));
        assertEquals(subscribers.size(), members.get(2).pushes.onlineInGroup("team").size());
    }

    /**
     * Group pushes and private pushes to the group's keys, through three members at once, over a slow
     * store that fails one save in twenty: each key's subscriber receives exactly what was answered as
     * pushed to it (a group push answers the keys it failed for), each once, in increasing mid order,
     * and the store holds exactly the stored ones.
     */
    @Test
    void concurrentGroupAndPrivatePushesArriveOncePerKeyInMidOrderExactlyAsAnswered() throws Exception {
        MessageStore store = slowFlakyStore();
        List<Member> members = List.of(new Member("a", "m1", store), new Member("b", "m2", store),
                new Member("c", "m3", store));
        SharedMap keysByGroup = SharedMap.inMemory();
        SharedMap groupsByKey = SharedMap.inMemory();
        members.forEach(m -> m.pushes.groups = new Groups(m.settings, keysByGroup, groupsByKey));
        List<String> keys = java.util.stream.IntStream.range(0, 6).mapToObj(i -> "team-" + i).toList();
        Map<String, FakeConnection> subscribers = new java.util.LinkedHashMap<>();
        Map<String, Set<String>> answered = new ConcurrentHashMap<>();
        Map<String, Set<String>> stored = new ConcurrentHashMap<>();
        for (String key : keys) {
            Member owner = members.stream().filter(m -> m.membership.ownsLocally(key)).findFirst().orElseThrow();
            FakeConnection connection = new FakeConnection(key);
            owner.hub.add(connection);
            subscribers.put(key, connection);
            answered.put(key, ConcurrentHashMap.newKeySet());
            stored.put(key, ConcurrentHashMap.newKeySet());
        }
        members.get(0).pushes.addToGroup("team", keys);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            Pushes through = members.get(t % 3).pushes;
            threads.add(new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 60; i++) {
                    String tag = thread + "." + i;
                    long expire = random.nextBoolean() ? 0 : 60;
                    String message = "{\"tag\":\"" + tag + "\"}";
                    if (i % 2 == 0) {
                        List<String> failed = through.pushToGroup("team", message, expire);
                        for (String key : keys) {
                            if (!failed.contains(key)) {
                                answered.get(key).add(tag);
                                if (expire > 0) {
                                    stored.get(key).add(tag);
                                }
                            }
                        }
                    } else {
                        String key = keys.get(random.nextInt(keys.size()));
                        try {
                            through.push(key, message, expire);
                            answered.get(key).add(tag);
                            if (expire > 0) {
                                stored.get(key).add(tag);
                            }
                        } catch (PushFailedException e) {
                            // refused by the flaky store: reaches no one
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(60_000);
            assertFalse(thread.isAlive());
        }
        for (String key : keys) {
            List<PushedMessage> received = subscribers.get(key).received;
            List<String> tags = received.stream().map(m -> m.json().replaceAll(".*\"tag\":\"([^\"]+)\".*", "$1")).toList();
            assertEquals(answered.get(key), Set.copyOf(tags), key);
            assertEquals(tags.size(), Set.copyOf(tags).size(), "each once at " + key);
            for (int i = 1; i < received.size(); i++) {
                assertTrue(received.get(i).mid() > received.get(i - 1).mid(), "mid order at " + key);
            }
            Set<String> kept = new java.util.HashSet<>();
            store.messagesAfter(key, 0, System.currentTimeMillis())
                    .forEach(m -> kept.add(m.message().replaceAll(".*\"tag\":\"([^\"]+)\".*", "$1")));
            assertEquals(stored.get(key), kept, "stored exactly as answered at " + key);
        }
    }

    @Test
    void aMultiKeyPushThroughOneMemberIsDoneByEachKeysOwner() {
        MessageStore store = new InMemoryMessageStore(20);
        Member a = new Member("a", "m1", store);
        Member b = new Member("b", "m2", store);
        String onA = keyOwnedBy(a, b);
        String onB = keyOwnedBy(b, a);
        FakeConnection atA = new FakeConnection(onA);
        FakeConnection atB = new FakeConnection(onB);
        a.hub.add(atA);
        b.hub.add(atB);
        assertEquals(List.of(), a.pushes.pushToMany(List.of(onA, onB), "{\"m\":1}", 60));
        assertEquals(1, atA.received.size());
        assertEquals(1, atB.received.size());
        assertEquals(1, store.messagesAfter(onB, 0, System.currentTimeMillis()).size());
    }

    @Test
    void whenTheOwnerDiesItsKeysArePushedByTheirNewOwner() {
        MessageStore store = new InMemoryMessageStore(20);
        Member a = new Member("a", "m1", store);
        Member b = new Member("b", "m2", store);
        String onB = keyOwnedBy(b, a);
        long before = a.pushes.push(onB, "{}", 60);
        cluster.kill("b");
        long after = a.pushes.push(onB, "{}", 60);
        assertTrue(after > before);
        assertEquals(List.of(before, after), store.messagesAfter(onB, 0, System.currentTimeMillis()).stream()
                .map(StoredMessage::mid).toList());
        assertEquals(1L, a.stats.messageCounters().get("forwarded"), "only the first went to b");
    }

    @Test
    void aPushRetriedThroughAnotherMemberWithItsIdempotencyKeyIsNotRepeated() {
        MessageStore store = new InMemoryMessageStore(20);
        Member a = new Member("a", "m1", store);
        Member b = new Member("b", "m2", store);
        String onB = keyOwnedBy(b, a);
        FakeConnection subscriber = new FakeConnection(onB);
        b.hub.add(subscriber);
        long first = a.pushes.push(onB, "{\"pay\":1}", 60, "payment-7");
        assertEquals(first, b.pushes.push(onB, "{\"pay\":1}", 60, "payment-7"));
        assertEquals(first, a.pushes.push(onB, "{\"pay\":1}", 60, "payment-7"));
        assertEquals(List.of(first), subscriber.received.stream().map(PushedMessage::mid).toList());
        assertEquals(1, store.messagesAfter(onB, 0, System.currentTimeMillis()).size());
    }

    @Test
    void aMemberAskedForAKeyItDoesNotOwnDoesNothingAndSaysSo() throws Exception {
        MessageStore store = new InMemoryMessageStore(20);
        Member a = new Member("a", "m1", store);
        Member b = new Member("b", "m2", store);
        String onA = keyOwnedBy(a, b);
        String onB = keyOwnedBy(b, a);
        OwnerPush.Request stale = new OwnerPush.Request(List.of(onA, onB), PushedMessage.PRIVATE, "{}", 60, 5_000, 0, "");
        OwnerPush.Reply reply = OwnerPush.Reply.fromBytes(a.requests.ask("b", stale.toBytes(), 5_000)
                .get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(List.of(onA), reply.notOwnedKeys());
        assertEquals(List.of(), reply.failedKeys());
        assertEquals(List.of(), store.messagesAfter(onA, 0, System.currentTimeMillis()), "nothing done for a's key");
        assertEquals(1, store.messagesAfter(onB, 0, System.currentTimeMillis()).size());

        b.membership.withdraw();
        long mid = a.pushes.push(onB, "{}", 60);
        assertEquals(mid, store.messagesAfter(onB, 0, System.currentTimeMillis()).get(1).mid(),
                "once b left the ring, a pushes b's former key itself");
    }

    /**
     * The owner dies while it stores a push it was asked for: the asking member waits until that save
     * could no longer happen, then finds in the store whether it happened; if so the push is answered
     * with its mid, if not it is pushed again on the key's new owner. Either way it is stored once.
     */
    @Test
    void aPushWhoseOwnerDiesWhileStoringItIsStoredExactlyOnce() throws Exception {
        for (boolean ownerStoredIt : new boolean[] {true, false}) {
            CountDownLatch saving = new CountDownLatch(1);
            CountDownLatch mayEnd = new CountDownLatch(1);
            MessageStore shared = new InMemoryMessageStore(20);
            MessageStore atB = new InMemoryMessageStore(20) {
                @Override
                public void save(String key, StoredMessage message) {
                    saving.countDown();
                    try {
                        mayEnd.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (!ownerStoredIt) {
                        throw new StoreUnavailableException("died before it stored");
                    }
                    shared.save(key, message);
                }

                @Override
                public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
                    return shared.messagesAfter(key, afterMid, nowMillis);
                }
            };
            cluster = new FakeGrid.Cluster();
            Member a = new Member("a", "m1", shared);
            Member b = new Member("b", "m2", atB);
            String onB = keyOwnedBy(b, a);
            java.util.concurrent.CompletableFuture<Long> pushed = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> a.pushes.push(onB, "{\"once\":true}", 60));
            assertTrue(saving.await(10, java.util.concurrent.TimeUnit.SECONDS));
            cluster.kill("b");
            a.requests.keepOnly(a.membership.liveMemberIds());
            mayEnd.countDown();
            long mid = pushed.get(30, java.util.concurrent.TimeUnit.SECONDS);
            List<StoredMessage> stored = shared.messagesAfter(onB, 0, System.currentTimeMillis());
            assertEquals(1, stored.size(), "stored once (the owner " + (ownerStoredIt ? "had" : "had not") + " stored it)");
            assertEquals(mid, stored.get(0).mid());
        }
    }
}
