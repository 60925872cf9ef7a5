package io.pushcluster.engine.cluster;

import java.util.Set;

/** A map of text the members share, with the compare-and-set operations concurrent writers need. */
public interface SharedMap {

    String get(String key);

    /** @return the value already present, or null when this one was put */
    String putIfAbsent(String key, String value);

    boolean replace(String key, String expected, String value);

    boolean remove(String key, String expected);

    /** Keys this member holds the primary copy of, for work each member does on its share. */
    Set<String> localKeys();
}
