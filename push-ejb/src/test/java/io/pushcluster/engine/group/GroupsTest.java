package io.pushcluster.engine.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.grid.SharedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group membership: both indexes agree, limits hold and a refused change changes nothing, under concurrency too. */
class GroupsTest {

    private final SharedMap keysByGroup = SharedMap.inMemory();
    private final SharedMap groupsByKey = SharedMap.inMemory();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private Groups groups(int groupKeys, int groupsPerKey) {
        PushSettings settings = new PushSettings(name -> Optional.ofNullable(Map.of(
                PushSettings.GROUP_KEYS, Integer.toString(groupKeys),
                PushSettings.GROUPS_PER_KEY, Integer.toString(groupsPerKey),
                PushSettings.GROUP_NAME_MAX_LENGTH, "8",
                PushSettings.MULTI_MAX_KEYS, "50").get(name)));
        return new Groups(settings, keysByGroup, groupsByKey);
    }

    /** Every key of every group lists that group, and every group a key lists holds the key. */
    private static void assertIndexesAgree(Groups groups, List<String> allGroups, List<String> allKeys) {
        for (String group : allGroups) {
            for (String key : groups.keysOf(group)) {
                assertTrue(groups.groupsOf(key).contains(group), key + " lacks " + group);
            }
        }
        for (String key : allKeys) {
            for (String group : groups.groupsOf(key)) {
                assertTrue(groups.keysOf(group).contains(key), group + " lacks " + key);
            }
        }
    }

    @Test
    void keysJoinAndLeaveAGroupAndTheGroupIsPagedInOrder() {
        Groups groups = groups(100, 10);
        groups.add("g", List.of("c", "a", "b", "a"));
        groups.add("g", List.of("d"));
        groups.add("h", List.of("a"));
        assertEquals(List.of("a", "b", "c", "d"), groups.keysOf("g"));
        assertEquals(List.of("a", "b"), groups.keys("g", null, 2));
        assertEquals(List.of("c", "d"), groups.keys("g", "b", 2));
        assertEquals(List.of(), groups.keys("g", "d", 2));
        assertEquals(List.of("g", "h"), groups.groupsOf("a"));
        groups.remove("g", List.of("a", "zzz"));
        assertEquals(List.of("b", "c", "d"), groups.keysOf("g"));
        assertEquals(List.of("h"), groups.groupsOf("a"));
        groups.remove("h", List.of("a"));
        assertEquals(List.of(), groups.groupsOf("a"));
        assertEquals(null, keysByGroup.get("h"), "a group without keys is gone");
        assertEquals(null, groupsByKey.get("a"), "a key in no group has no entry");
    }

    @Test
    void aChangeThatBreaksALimitChangesNothing() {
        Groups groups = groups(3, 2);
        groups.add("g", List.of("a", "b"));
        assertThrows(InvalidParameterException.class, () -> groups.add("g", List.of("c", "d")));
        assertEquals(List.of("a", "b"), groups.keysOf("g"));
        assertEquals(List.of(), groups.groupsOf("c"));
        groups.add("h", List.of("a"));
        assertThrows(InvalidParameterException.class, () -> groups.add("i", List.of("x", "a")));
        assertEquals(List.of(), groups.keysOf("i"));
        assertEquals(List.of(), groups.groupsOf("x"));
        assertThrows(InvalidParameterException.class, () -> groups.add("toolongname", List.of("a")));
        assertThrows(InvalidParameterException.class, () -> groups.add("", List.of("a")));
        assertThrows(InvalidParameterException.class, () -> groups.add("g", List.of()));
        assertThrows(InvalidParameterException.class, () -> groups.add("g", List.of("")));
        assertThrows(InvalidParameterException.class, () -> groups.keys("g", null, 0));
        assertThrows(InvalidParameterException.class,
                () -> groups.add("j", IntStream.range(0, 51).mapToObj(i -> "k" + i).toList()));
    }

    /**
     * Eight threads add and remove random keys of four groups at once, the per-key limit tight: at the
     * end the two indexes agree, no group holds more than its limit and no key is in more groups than
     * its limit.
     */
    @Test
    void concurrentChangesLeaveBothIndexesAgreeingWithinTheLimits() throws Exception {
        Groups groups = groups(12, 2);
        List<String> allGroups = List.of("g0", "g1", "g2", "g3");
        List<String> allKeys = IntStream.range(0, 16).mapToObj(i -> "k" + i).toList();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(pool.submit(() -> {
                go.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 300; i++) {
                    String group = allGroups.get(random.nextInt(allGroups.size()));
                    List<String> keys = List.of(allKeys.get(random.nextInt(16)), allKeys.get(random.nextInt(16)));
                    try {
                        if (random.nextBoolean()) {
                            groups.add(group, keys);
                        } else {
                            groups.remove(group, keys);
                        }
                    } catch (InvalidParameterException e) {
                        // a limit: the change was refused whole
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> thread : threads) {
            thread.get(60, TimeUnit.SECONDS);
        }
        assertIndexesAgree(groups, allGroups, allKeys);
        Set<String> seen = new TreeSet<>();
        for (String group : allGroups) {
            assertTrue(groups.keysOf(group).size() <= 12, group + " holds " + groups.keysOf(group));
            seen.addAll(groups.keysOf(group));
        }
        for (String key : allKeys) {
            assertTrue(groups.groupsOf(key).size() <= 2, key + " is in " + groups.groupsOf(key));
        }
        assertTrue(!seen.isEmpty(), "some keys ended in groups");
    }
}
