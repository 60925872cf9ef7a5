package io.pushcluster.engine.group;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.config.Limits;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.grid.Grid;
import io.pushcluster.engine.grid.SharedMap;
import io.pushcluster.engine.message.JsonText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Groups of keys, shared by every member of the cluster: each group's keys, and each key's groups, in
 * two maps of the grid (Hazelcast's, with a backup on another member). The group's entry is the
 * truth a group push reads; the key's entry is its index, brought in line with the group's after
 * every change (written, then checked against the group again), so that concurrent changes of one
 * pair end with both entries agreeing. Limits are checked before anything is written: a change that
 * breaks one changes nothing.
 */
@ApplicationScoped
public class Groups {

    static final String GROUP_KEYS = "push-group-keys";
    static final String KEY_GROUPS = "push-key-groups";

    private PushSettings settings;
    private Limits limits;
    private SharedMap keysByGroup;
    private SharedMap groupsByKey;

    protected Groups() {
    }

    @Inject
    public Groups(PushSettings settings, Grid grid) {
        this(settings, grid.sharedMap(GROUP_KEYS), grid.sharedMap(KEY_GROUPS));
    }

    /** Groups kept in the given maps: the grid's, or maps of a test. */
    public Groups(PushSettings settings, SharedMap keysByGroup, SharedMap groupsByKey) {
        this.settings = settings;
        this.limits = new Limits(settings);
        this.keysByGroup = keysByGroup;
        this.groupsByKey = groupsByKey;
    }

    /**
     * Adds keys to a group, creating it.
     *
     * @throws InvalidParameterException when the group would hold more than {@code push.limit.group-keys}
     *     keys, or a key would be in more than {@code push.limit.groups-per-key} groups; nothing changed then
     */
    public void add(String group, Collection<String> keys) {
        limits.group(group);
        Set<String> adding = new TreeSet<>(limits.keys(keys));
        for (String key : adding) {
            Set<String> groups = read(groupsByKey.get(key));
            if (!groups.contains(group) && groups.size() >= settings.groupsPerKey()) {
                throw new InvalidParameterException("key " + key + " is in " + settings.groupsPerKey() + " groups already");
            }
        }
        Set<String> added = new TreeSet<>();
        update(keysByGroup, group, current -> {
            added.clear();
            TreeSet<String> next = new TreeSet<>(current);
            for (String key : adding) {
                if (next.add(key)) {
                    added.add(key);
                }
            }
            if (next.size() > settings.groupKeys()) {
                throw new InvalidParameterException("a group holds at most " + settings.groupKeys() + " keys");
            }
            return next;
        });
        for (String key : adding) {
            if (!reconcile(group, key)) {
                // another group took the key's last place meanwhile: undo this change whole
                update(keysByGroup, group, current -> {
                    TreeSet<String> next = new TreeSet<>(current);
                    next.removeAll(added);
                    return next;
                });
                adding.forEach(undone -> reconcile(group, undone));
                throw new InvalidParameterException("key " + key + " is in " + settings.groupsPerKey() + " groups already");
            }
        }
    }

    /** Removes keys from a group; a group left without keys is gone. */
    public void remove(String group, Collection<String> keys) {
        limits.group(group);
        Set<String> removing = limits.keys(keys);
        update(keysByGroup, group, current -> {
            TreeSet<String> next = new TreeSet<>(current);
            next.removeAll(removing);
            return next;
        });
        removing.forEach(key -> reconcile(group, key));
    }

    /** The group's keys in order, after {@code after} (exclusive; null for the first), at most {@code limit}. */
    public List<String> keys(String group, String after, int limit) {
        limits.group(group);
        if (limit < 1) {
            throw new InvalidParameterException("limit must be at least 1");
        }
        NavigableSet<String> all = read(keysByGroup.get(group));
        NavigableSet<String> page = after == null ? all : all.tailSet(after, false);
        return page.stream().limit(limit).toList();
    }

    /** Every key of the group now, in order. */
    public List<String> keysOf(String group) {
        limits.group(group);
        return List.copyOf(read(keysByGroup.get(group)));
    }

    /** The groups a key is in, in order. */
    public List<String> groupsOf(String key) {
        return List.copyOf(read(groupsByKey.get(key)));
    }

    /**
     * Makes the key's index agree with the group's entry: written, then checked again, until the group
     * did not change in between. False when the key is to join the group but its groups are full.
     */
    private boolean reconcile(String group, String key) {
        while (true) {
            boolean member = read(keysByGroup.get(group)).contains(key);
            boolean[] full = {false};
            update(groupsByKey, key, current -> {
                TreeSet<String> next = new TreeSet<>(current);
                if (member && next.add(group) && next.size() > settings.groupsPerKey()) {
                    full[0] = true;
                    return current;
                }
                if (!member) {
                    next.remove(group);
                }
                return next;
            });
            if (full[0]) {
                return false;
            }
            if (read(keysByGroup.get(group)).contains(key) == member) {
                return true;
            }
        }
    }

    /** Applies the change to the entry with compare-and-set until it holds; an empty set removes the entry. */
    private static void update(SharedMap map, String name, UnaryOperator<Set<String>> change) {
        while (true) {
            String stored = map.get(name);
            Set<String> next = change.apply(Collections.unmodifiableSet(read(stored)));
            String written = next.isEmpty() ? null : write(next);
            boolean done;
            if (stored == null) {
                done = written == null || map.putIfAbsent(name, written) == null;
            } else if (written == null) {
                done = map.remove(name, stored);
            } else {
                done = stored.equals(written) || map.replace(name, stored, written);
            }
            if (done) {
                return;
            }
        }
    }

    private static NavigableSet<String> read(String stored) {
        TreeSet<String> names = new TreeSet<>();
        if (stored != null) {
            try (JsonReader reader = JsonText.reader(stored)) {
                JsonArray array = reader.readArray();
                array.getValuesAs(JsonString.class).forEach(name -> names.add(name.getString()));
            }
        }
        return names;
    }

    private static String write(Set<String> names) {
        return names.stream().map(JsonText::quote).collect(Collectors.joining(",", "[", "]"));
    }
}
