package io.pushcluster.engine.store.jpa;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which keys a batch of saves trims back to the cap: a key once every {@code every} saves of it,
 * counted per key in a map of at most {@code maxTracked} keys. When the map is full, the key tracked
 * longest is trimmed at once and forgotten, so no key ever has more than {@code every - 1} saves
 * since its last trim (per instance), whatever the number of keys. Not thread-safe: one batch at a
 * time.
 */
final class TrimSchedule {

    private final int every;
    private final int maxTracked;
    /** Saves since the key's last trim, oldest-tracked key first; a count is always below {@code every}. */
    private final LinkedHashMap<String, Integer> untrimmed = new LinkedHashMap<>();

    TrimSchedule(int every, int maxTracked) {
        if (every < 1 || maxTracked < 0) {
            throw new IllegalArgumentException("every must be positive, maxTracked not negative");
        }
        this.every = every;
        this.maxTracked = maxTracked;
    }

    /** Counts a batch's saves, one key per row, and returns the keys it must trim, in order. */
    SortedSet<String> due(Collection<String> savedKeys) {
        SortedSet<String> due = new TreeSet<>();
        for (String key : savedKeys) {
            int saves = untrimmed.merge(key, 1, Integer::sum);
            if (saves >= every) {
                untrimmed.remove(key);
                due.add(key);
            }
        }
        Iterator<Map.Entry<String, Integer>> oldest = untrimmed.entrySet().iterator();
        while (untrimmed.size() > maxTracked) {
            due.add(oldest.next().getKey());
            oldest.remove();
        }
        return due;
    }

    /** Keys whose trim did not commit: each is trimmed again with its next save. */
    void failed(Collection<String> keys) {
        for (String key : keys) {
            untrimmed.put(key, every - 1);
        }
    }
}
