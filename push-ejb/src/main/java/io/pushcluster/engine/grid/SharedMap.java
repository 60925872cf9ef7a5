package io.pushcluster.engine.grid;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * A map of text the members share, with the compare-and-set operations concurrent writers need: a
 * Hazelcast IMap, or for a node alone a map in this JVM's memory.
 */
public final class SharedMap {

    private final ConcurrentMap<String, String> entries;
    private final Supplier<Set<String>> localKeys;

    SharedMap(ConcurrentMap<String, String> entries, Supplier<Set<String>> localKeys) {
        this.entries = entries;
        this.localKeys = localKeys;
    }

    /** A map in this JVM's memory, of which this node holds every key. */
    public static SharedMap inMemory() {
        ConcurrentHashMap<String, String> entries = new ConcurrentHashMap<>();
        return new SharedMap(entries, () -> Set.copyOf(entries.keySet()));
    }

    public String get(String key) {
        return entries.get(key);
    }

    /** @return the value already present, or null when this one was put */
    public String putIfAbsent(String key, String value) {
        return entries.putIfAbsent(key, value);
    }

    public boolean replace(String key, String expected, String value) {
        return entries.replace(key, expected, value);
    }

    public boolean remove(String key, String expected) {
        return entries.remove(key, expected);
    }

    public void put(String key, String value) {
        entries.put(key, value);
    }

    public void remove(String key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }

    /** Every entry now, copied into this JVM. */
    public Map<String, String> snapshot() {
        return Map.copyOf(entries);
    }

    /** Keys this member holds the primary copy of, for work each member does on its share. */
    public Set<String> localKeys() {
        return localKeys.get();
    }
}
