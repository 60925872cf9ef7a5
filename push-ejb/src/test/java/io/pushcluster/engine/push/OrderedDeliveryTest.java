package io.pushcluster.engine.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.message.PushedMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link OrderedDelivery}: per key, messages leave in mid order whatever order pushes settle in. */
class OrderedDeliveryTest {

    private final AtomicLong ids = new AtomicLong();
    /** Per key, the mids delivered, in delivery order. */
    private final Map<String, List<Long>> delivered = new ConcurrentHashMap<>();
    private final List<Integer> callSizes = new CopyOnWriteArrayList<>();
    private final OrderedDelivery order = new OrderedDelivery(ids::incrementAndGet, this::record);

    private void record(Collection<String> keys, PushedMessage message) {
        callSizes.add(keys.size());
        for (String key : keys) {
            delivered.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(message.mid());
        }
    }

    private OrderedDelivery.Entry enter(String... keys) {
        return order.enter(new TreeSet<>(List.of(keys)), PushedMessage.PRIVATE, "{}");
    }

    private List<Long> deliveredTo(String key) {
        return delivered.getOrDefault(key, List.of());
    }

    @Test
    void aPushSettledBeforeAnEarlierOneWaitsForItThenBothLeaveInMidOrder() {
        OrderedDelivery.Entry first = enter("k");
        OrderedDelivery.Entry second = enter("k");
        assertTrue(first.mid() < second.mid());
        order.settle(second, Set.of());
        assertEquals(List.of(), deliveredTo("k"), "the second waits while the first is being stored");
        order.settle(first, Set.of());
        assertEquals(List.of(first.mid(), second.mid()), deliveredTo("k"));
        assertEquals(0, order.keysInFlight());
    }

    @Test
    void aFailedPushIsDroppedAndReleasesThoseBehindIt() {
        OrderedDelivery.Entry failed = enter("k");
        OrderedDelivery.Entry after = enter("k");
        order.settle(after, Set.of());
        order.settle(failed, Set.of("k"));
        assertEquals(List.of(after.mid()), deliveredTo("k"));
    }

    @Test
    void otherKeysDoNotWaitForAKeyWhosePushIsStillBeingStored() {
        OrderedDelivery.Entry slow = enter("a");
        OrderedDelivery.Entry fast = enter("b");
        order.settle(fast, Set.of());
        assertEquals(List.of(fast.mid()), deliveredTo("b"));
        assertEquals(List.of(), deliveredTo("a"));
        order.settle(slow, Set.of());
        assertEquals(List.of(slow.mid()), deliveredTo("a"));
    }

    @Test
    void aMultiKeyPushWaitsPerKeyAndLeavesInOneCallForTheKeysReadyTogether() {
        OrderedDelivery.Entry onB = enter("b");
        OrderedDelivery.Entry multi = enter("a", "b", "c");
        order.settle(multi, Set.of("c"));
        assertEquals(List.of(multi.mid()), deliveredTo("a"));
        assertEquals(List.of(), deliveredTo("b"), "b waits for the push before it");
        assertEquals(List.of(), deliveredTo("c"), "c's save failed");
        order.settle(onB, Set.of());
        assertEquals(List.of(onB.mid(), multi.mid()), deliveredTo("b"));

        callSizes.clear();
        OrderedDelivery.Entry together = enter("x", "y", "z");
        order.settle(together, Set.of());
        assertEquals(List.of(3), callSizes, "keys that leave at once leave in one call");
    }

    @Test
    void manyThreadsPushingToFewKeysWithRandomStoreTimesKeepEveryKeysOrderAndLoseNothing() throws Exception {
        String[] keys = {"a", "b", "c", "d"};
        int threads = 16;
        int pushesPerThread = 2_000;
        Map<String, Set<Long>> expected = new ConcurrentHashMap<>();
        for (String key : keys) {
            expected.put(key, ConcurrentHashMap.newKeySet());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < pushesPerThread; i++) {
                        List<String> chosen = new ArrayList<>();
                        for (String key : keys) {
                            if (chosen.isEmpty() || random.nextInt(4) == 0) {
                                chosen.add(keys[random.nextInt(keys.length)]);
                            }
                        }
                        OrderedDelivery.Entry entry = enter(chosen.toArray(String[]::new));
                        for (int spin = random.nextInt(200); spin > 0; spin--) {
                            Thread.onSpinWait();
                        }
                        if (random.nextInt(10) == 0) {
                            Thread.yield();
                        }
                        Set<String> failed = new HashSet<>();
                        for (String key : new TreeSet<>(chosen)) {
                            if (random.nextInt(20) == 0) {
                                failed.add(key);
                            } else {
                                expected.get(key).add(entry.mid());
                            }
                        }
                        order.settle(entry, failed);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String key : keys) {
            List<Long> mids = deliveredTo(key);
            for (int i = 1; i < mids.size(); i++) {
                assertTrue(mids.get(i - 1) < mids.get(i), key + ": " + mids.get(i - 1) + " before " + mids.get(i));
            }
            assertEquals(expected.get(key), new HashSet<>(mids), key + ": exactly the pushes that did not fail");
            assertEquals(expected.get(key).size(), mids.size(), key + ": each once");
        }
        assertEquals(0, order.keysInFlight(), "no queue outlives its pushes");
    }
}
