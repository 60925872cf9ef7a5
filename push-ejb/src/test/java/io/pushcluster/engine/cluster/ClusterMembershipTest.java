package io.pushcluster.engine.cluster;

import io.pushcluster.engine.grid.FakeGrid;
import io.pushcluster.engine.grid.MemberCard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.config.PushSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Several members over one fake grid: the view they build, the ring they agree on, what moves. */
class ClusterMembershipTest {

    private final FakeGrid.Cluster cluster = new FakeGrid.Cluster();

    private static PushSettings settings(String name, String... more) {
        Map<String, String> values = new HashMap<>();
        values.put(PushSettings.NODE_NAME, name);
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return new PushSettings(key -> Optional.ofNullable(values.get(key)));
    }

    private Membership member(String id, PushSettings settings, AtomicInteger changes) {
        Membership membership = new Membership(settings, cluster.join(id));
        membership.follow(Runnable::run, changes::incrementAndGet);
        membership.enter();
        return membership;
    }

    private Membership member(String id, String name) {
        return member(id, settings(name), new AtomicInteger());
    }

    private static List<String> keys(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "user-" + i).toList();
    }

    @Test
    void everyMemberBuildsTheSameRingAndEachKeyHasExactlyOneLocalOwner() {
        List<Membership> members = List.of(member("a", "m1"), member("b", "m2"), member("c", "m3"));
        int[] owned = new int[3];
        for (String key : keys(3000)) {
            String owner = members.get(0).ownerOf(key);
            int locals = 0;
            for (int i = 0; i < 3; i++) {
                assertEquals(owner, members.get(i).ownerOf(key), key);
                if (members.get(i).ownsLocally(key)) {
                    locals++;
                    owned[i]++;
                }
            }
            assertEquals(1, locals, key);
        }
        for (int share : owned) {
            assertTrue(share > 600, "each of three members owns a fair share: " + java.util.Arrays.toString(owned));
        }
    }

    @Test
    void aJoiningMemberTakesSomeKeysAndNothingMovesBetweenTheOthers() {
        Membership first = member("a", "m1");
        Membership second = member("b", "m2");
        Map<String, String> before = new HashMap<>();
        keys(2000).forEach(key -> before.put(key, first.ownerOf(key)));
        member("c", "m3");
        int moved = 0;
        for (String key : keys(2000)) {
            String now = second.ownerOf(key);
            if (!now.equals(before.get(key))) {
                assertEquals("m3", now, "a key only ever moves to the new member");
                moved++;
            }
        }
        assertTrue(moved > 400 && moved < 1000, "about a third of the keys move: " + moved);
    }

    @Test
    void aDeadMembersKeysGoToTheSurvivorsEvenThoughItsCardIsLeftBehind() {
        Membership first = member("a", "m1");
        member("b", "m2");
        String keyOfSecond = keys(100).stream().filter(key -> first.ownerOf(key).equals("m2")).findFirst().orElseThrow();
        assertFalse(first.ownsLocally(keyOfSecond));
        cluster.kill("b");
        assertEquals(1, first.view().size());
        assertTrue(first.ownsLocally(keyOfSecond));
    }

    @Test
    void theViewChangeListenerRunsOnlyWhenTheViewChanges() {
        AtomicInteger changes = new AtomicInteger();
        Membership first = member("a", settings("m1"), changes);
        int afterJoin = changes.get();
        assertFalse(first.refresh());
        member("b", "m2");
        assertEquals(afterJoin + 1, changes.get());
        cluster.changed();
        assertEquals(afterJoin + 1, changes.get(), "an event that changes nothing is not a change");
    }

    @Test
    void weightsShapeTheShares() {
        Membership light = member("a", settings("m1"), new AtomicInteger());
        member("b", settings("m2", PushSettings.NODE_WEIGHT, "3"), new AtomicInteger());
        long heavy = keys(4000).stream().filter(key -> light.ownerOf(key).equals("m2")).count();
        assertTrue(heavy > 2600 && heavy < 3400, "weight 3 of 4 owns about three quarters: " + heavy);
    }

    @Test
    void aSecondMemberWithATakenNameOwnsNothingAndIsListedAsAConflict() {
        Membership first = member("a", "same");
        Membership second = member("b", "same");
        assertFalse(first.view().localNameTaken());
        assertTrue(second.view().localNameTaken());
        assertEquals(1, second.view().size());
        assertEquals(1, second.view().conflicts().size());
        for (String key : keys(200)) {
            assertTrue(first.ownsLocally(key));
            assertFalse(second.ownsLocally(key));
        }
    }

    @Test
    void theNodeNameDefaultsToPayarasInstanceName() {
        PushSettings named = new PushSettings(key -> Optional.ofNullable(
                Map.of(PushSettings.PAYARA_INSTANCE_NAME, "Jolly-Fish").get(key)));
        assertEquals("Jolly-Fish", named.nodeName());
        assertNotEquals("Jolly-Fish", settings("m1", PushSettings.PAYARA_INSTANCE_NAME, "Jolly-Fish").nodeName());
    }

    @Test
    void leavingWithdrawsTheCardSoTheOthersTakeItsKeys() {
        Membership first = member("a", "m1");
        Membership second = member("b", "m2");
        second.leave();
        assertEquals(1, first.view().size());
        keys(100).forEach(key -> assertTrue(first.ownsLocally(key)));
    }
}
