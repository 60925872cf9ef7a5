package io.pushcluster.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.grid.MemberCard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log line of a change of the ring says who joined and who left. */
class MembershipChangesTest {

    private static ClusterView view(String... names) {
        Map<String, MemberCard> cards = new LinkedHashMap<>();
        for (String name : names) {
            cards.put("id-" + name, new MemberCard(name, 1, List.of(), List.of()));
        }
        return new ClusterView("id-m1", null, cards);
    }

    @Test
    void namesWhoJoinedAndWhoLeft() {
        String joined = Membership.changes(view("m1", "m2"), view("m1", "m2", "m3"));
        assertTrue(joined.startsWith("m3 joined; the ring is now "), joined);
        String left = Membership.changes(view("m1", "m2", "m3"), view("m1", "m3"));
        assertTrue(left.startsWith("m2 left; the ring is now "), left);
        String both = Membership.changes(view("m1", "m2"), view("m1", "m3", "m4"));
        assertTrue(both.startsWith("m3, m4 joined, m2 left; "), both);
        String same = Membership.changes(view("m1"), view("m1"));
        assertTrue(same.startsWith("the members' cards changed; "), same);
    }
}
