package io.pushcluster.engine.grid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Members sharing one in-memory "grid" for the pure logic of membership and routing: each member is a
 * FakeGrid over the same {@link Cluster}. Listeners run at once, on the caller's thread.
 */
public final class FakeGrid implements Grid {

    /** What the members share. */
    public static final class Cluster {
        public final Map<String, MemberCard> cards = new LinkedHashMap<>();
        public final List<String> live = new ArrayList<>();
        public final List<FakeGrid> members = new CopyOnWriteArrayList<>();
        public final List<String> sends = Collections.synchronizedList(new ArrayList<>());

        public FakeGrid join(String id) {
            FakeGrid grid = new FakeGrid(this, id);
            live.add(id);
            members.add(grid);
            changed();
            return grid;
        }

        /** The member dies: it is gone from the live list, its card is left behind. */
        public void kill(String id) {
            live.remove(id);
            members.removeIf(member -> member.id.equals(id));
            changed();
        }

        public void changed() {
            for (FakeGrid member : List.copyOf(members)) {
                member.listeners.forEach(Runnable::run);
            }
        }
    }

    private final Cluster cluster;
    private final String id;
    private final List<Runnable> listeners = new ArrayList<>();
    private final List<Consumer<byte[]>> receivers = new CopyOnWriteArrayList<>();

    private FakeGrid(Cluster cluster, String id) {
        this.cluster = cluster;
        this.id = id;
    }

    @Override
    public String localId() {
        return id;
    }

    @Override
    public String localHost() {
        return "127.0.0.9";
    }

    @Override
    public void publish(MemberCard card) {
        cluster.cards.put(id, card);
        cluster.changed();
    }

    @Override
    public void withdraw() {
        cluster.cards.remove(id);
        cluster.changed();
    }

    @Override
    public Map<String, MemberCard> liveCards() {
        Map<String, MemberCard> live = new LinkedHashMap<>();
        for (String member : cluster.live) {
            MemberCard card = cluster.cards.get(member);
            if (card != null) {
                live.put(member, card);
            }
        }
        return live;
    }

    @Override
    public Set<String> memberIds() {
        return Set.copyOf(cluster.live);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void send(String memberId, byte[] payload) {
        cluster.sends.add(memberId);
        FakeGrid target = cluster.members.stream().filter(member -> member.id.equals(memberId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no member " + memberId));
        target.receivers.forEach(receiver -> receiver.accept(payload));
    }

    @Override
    public void onReceive(Consumer<byte[]> receiver) {
        receivers.add(receiver);
    }

    @Override
    public SharedMap sharedMap(String name) {
        return SharedMap.inMemory();
    }

    @Override
    public void leave() {
        cluster.cards.remove(id);
        listeners.clear();
        receivers.clear();
        cluster.changed();
    }
}
