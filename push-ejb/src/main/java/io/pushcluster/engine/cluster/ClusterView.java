package io.pushcluster.engine.cluster;

import io.pushcluster.engine.grid.MemberCard;
import io.pushcluster.engine.ring.KetamaRing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster as one member sees it at one moment: the live members' cards and the ring over them.
 * A name claimed by two members belongs to the one that joined first; the later one is left off the
 * ring (it owns no key) and listed as a conflict.
 */
public final class ClusterView {

    private final String localId;
    private final Map<String, MemberCard> byName;
    private final Map<String, String> idByName;
    private final List<MemberCard> conflicts;
    private final KetamaRing ring;
    private final boolean alone;

    /**
     * @param localCard this member's card when it is on the ring, added when the grid does not show it
     *                  yet; null when it is not, and whatever the grid still shows of it is left off
     * @param cardsById live members' cards by member id, in join order
     */
    public ClusterView(String localId, MemberCard localCard, Map<String, MemberCard> cardsById) {
        this.localId = localId;
        Map<String, MemberCard> cards = new LinkedHashMap<>(cardsById);
        if (localCard == null) {
            cards.remove(localId);
        } else {
            cards.putIfAbsent(localId, localCard);
        }
        Map<String, MemberCard> named = new TreeMap<>();
        Map<String, String> ids = new TreeMap<>();
        List<MemberCard> clashing = new ArrayList<>();
        cards.forEach((id, card) -> {
            if (named.putIfAbsent(card.name(), card) == null) {
                ids.put(card.name(), id);
            } else {
                clashing.add(card);
            }
        });
        this.byName = named;
        this.idByName = ids;
        this.conflicts = List.copyOf(clashing);
        Map<String, Integer> weights = new TreeMap<>();
        named.forEach((name, card) -> weights.put(name, card.weight()));
        this.ring = KetamaRing.of(weights);
        this.alone = named.size() == 1 && ids.containsValue(localId);
    }

    /** Whether this member is the only one on the ring, and so owns every key. */
    public boolean alone() {
        return alone;
    }

    /** The name of the member that owns the key; null while no member is on the ring. */
    public String ownerOf(String key) {
        return ring.isEmpty() ? null : ring.nodeFor(key);
    }

    public boolean ownsLocally(String key) {
        // a member alone owns every key: no hashing on the path of every push and subscribe
        return alone || !ring.isEmpty() && localId.equals(idByName.get(ownerOf(key)));
    }

    /** The grid id of the key's owner; null while no member is on the ring. */
    public String ownerIdOf(String key) {
        if (alone) {
            return localId;
        }
        String owner = ownerOf(key);
        return owner == null ? null : idByName.get(owner);
    }

    /** The grid id of the member of that name on the ring; null when none is. */
    public String idOf(String name) {
        return idByName.get(name);
    }

    public boolean isLocal(String memberId) {
        return localId.equals(memberId);
    }

    public Optional<MemberCard> cardOf(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The share of all keys each member on the ring owns, by name. */
    public Map<String, Double> shares() {
        return ring.shares();
    }

    /** The members on the ring, by name. */
    public Map<String, MemberCard> members() {
        return byName;
    }

    /** Cards left off the ring because an earlier member has their name. */
    public List<MemberCard> conflicts() {
        return conflicts;
    }

    /** True when this member's name is taken by an earlier member, so that it owns nothing. */
    public boolean localNameTaken() {
        return !idByName.containsValue(localId);
    }

    public int size() {
        return byName.size();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterView view && localId.equals(view.localId)
                && byName.equals(view.byName) && idByName.equals(view.idByName) && conflicts.equals(view.conflicts);
    }

    @Override
    public int hashCode() {
        return byName.hashCode();
    }

    @Override
    public String toString() {
        return byName.values().stream().map(card -> card.name() + "(" + card.weight() + ")").toList().toString();
    }
}
