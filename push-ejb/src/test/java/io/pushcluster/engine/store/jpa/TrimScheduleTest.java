package io.pushcluster.engine.store.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which keys {@link TrimSchedule} says a batch must trim. */
class TrimScheduleTest {

    @Test
    void aKeyIsTrimmedOnceEveryNSavesOfIt() {
        TrimSchedule schedule = new TrimSchedule(3, 100);
        assertEquals(Set.of(), schedule.due(List.of("a")));
        assertEquals(Set.of(), schedule.due(List.of("a", "b")));
        assertEquals(Set.of("a"), schedule.due(List.of("a", "b")));
        assertEquals(Set.of("b"), schedule.due(List.of("b")));
        assertEquals(Set.of(), schedule.due(List.of("a", "a")));
        assertEquals(Set.of("a"), schedule.due(List.of("a")));
    }

    @Test
    void everyOneTrimsEveryKeyOfEveryBatch() {
        TrimSchedule schedule = new TrimSchedule(1, 100);
        assertEquals(Set.of("a", "b"), schedule.due(List.of("b", "a", "b")));
        assertEquals(Set.of("a"), schedule.due(List.of("a")));
    }

    @Test
    void dueKeysComeSortedSoThatConcurrentTrimsLockInOneOrder() {
        TrimSchedule schedule = new TrimSchedule(1, 100);
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(schedule.due(List.of("c", "a", "b"))));
    }

    @Test
    void whenTheMapIsFullTheLongestTrackedKeyIsTrimmedAtOnce() {
        TrimSchedule schedule = new TrimSchedule(10, 2);
        assertEquals(Set.of(), schedule.due(List.of("a", "b")));
        assertEquals(Set.of("a"), schedule.due(List.of("c")));
        assertEquals(Set.of("b", "c"), schedule.due(List.of("d", "e")));
    }

    @Test
    void noKeyGoesMoreThanNMinusOneSavesUntrimmedWhateverTheNumberOfKeys() {
        int every = 4;
        TrimSchedule schedule = new TrimSchedule(every, 50);
        int[] untrimmed = new int[1_000];
        for (int round = 0; round < 20_000; round++) {
            int key = (round * 7919) % untrimmed.length;
            untrimmed[key]++;
            for (String due : schedule.due(List.of("k" + key))) {
                untrimmed[Integer.parseInt(due.substring(1))] = 0;
            }
            assertTrue(untrimmed[key] < every, "k" + key + " has " + untrimmed[key] + " untrimmed saves");
        }
    }

    @Test
    void aKeyWhoseTrimFailedIsTrimmedWithItsNextSave() {
        TrimSchedule schedule = new TrimSchedule(5, 100);
        assertEquals(Set.of("a"), schedule.due(List.of("a", "a", "a", "a", "a")));
        schedule.failed(Set.of("a"));
        assertEquals(Set.of("a"), schedule.due(List.of("a")));
        assertEquals(Set.of(), schedule.due(List.of("a")));
    }

    @Test
    void aScheduleNeedsAPositiveInterval() {
        assertThrows(IllegalArgumentException.class, () -> new TrimSchedule(0, 10));
    }
}
