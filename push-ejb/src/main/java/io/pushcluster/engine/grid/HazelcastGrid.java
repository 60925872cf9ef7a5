package io.pushcluster.engine.grid;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.topic.ITopic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Payara's Hazelcast data grid. Cards live in the map {@value #CARDS} under each member's uuid, so a
 * card whose member is gone is ignored at once and removed by the survivors. Each member listens on
 * a topic of its own, {@value #DELIVERIES}{@code <uuid>}: a push is sent to the member that owns its
 * key and to no other.
 */
public final class HazelcastGrid implements Grid {

    static final String CARDS = "push.members";
    static final String DELIVERIES = "push.deliver.";

    private final HazelcastInstance hazelcast;
    private final Member local;
    private final IMap<String, String> cards;
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();

    public HazelcastGrid(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.local = hazelcast.getCluster().getLocalMember();
        this.cards = hazelcast.getMap(CARDS);
    }

    @Override
    public String localId() {
        return local.getUuid().toString();
    }

    @Override
    public String localHost() {
        return local.getAddress().getHost();
    }

    @Override
    public void publish(MemberCard card) {
        JoinRace.retried("publishing this member's card", () -> {
            cards.set(localId(), card.toJson());
            return null;
        });
    }

    @Override
    public void withdraw() {
        cards.delete(localId());
    }

    @Override
    public Map<String, MemberCard> liveCards() {
        Set<String> ids = new LinkedHashSet<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            ids.add(member.getUuid().toString());
        }
        Map<String, String> published = JoinRace.retried("reading the members' cards", () -> cards.getAll(ids));
        Map<String, MemberCard> live = new LinkedHashMap<>();
        for (String id : ids) {
            String json = published.get(id);
            if (json != null) {
                MemberCard.fromJson(json).ifPresent(card -> live.put(id, card));
            }
        }
        return live;
    }

    @Override
    public void onChange(Runnable listener) {
        UUID membership = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                listener.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                cards.removeAsync(event.getMember().getUuid().toString());
                listener.run();
            }
        });
        UUID entries = JoinRace.retried("following the members' cards",
                () -> cards.addEntryListener(new CardListener(listener), false));
        cleanups.add(() -> hazelcast.getCluster().removeMembershipListener(membership));
        cleanups.add(() -> cards.removeEntryListener(entries));
    }

    /**
     * A topic has no receiver once its member is gone and publishing to it still succeeds, so the
     * member list is asked first: a send to a member that has left throws, and is counted as such.
     */
    @Override
    public void send(String memberId, byte[] payload) {
        if (!isLive(memberId)) {
            throw new IllegalStateException("member " + memberId + " is not in the cluster");
        }
        ITopic<byte[]> topic = hazelcast.getTopic(DELIVERIES + memberId);
        topic.publish(payload);
    }

    private boolean isLive(String memberId) {
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (member.getUuid().toString().equals(memberId)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<String> memberIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            ids.add(member.getUuid().toString());
        }
        return ids;
    }

    @Override
    public void onReceive(Consumer<byte[]> receiver) {
        ITopic<byte[]> topic = hazelcast.getTopic(DELIVERIES + localId());
        UUID registration = topic.addMessageListener(message -> receiver.accept(message.getMessageObject()));
        cleanups.add(() -> topic.removeMessageListener(registration));
    }

    @Override
    public SharedMap sharedMap(String name) {
        IMap<String, String> map = hazelcast.getMap(name);
        return new SharedMap(map, map::localKeySet);
    }

    @Override
    public void leave() {
        List<Runnable> registered = new ArrayList<>(cleanups);
        cleanups.clear();
        for (Runnable cleanup : registered) {
            cleanup.run();
        }
        cards.delete(localId());
    }

    private record CardListener(Runnable listener) implements EntryAddedListener<String, String>,
            EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>, MapClearedListener {

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            listener.run();
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            listener.run();
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            listener.run();
        }

        @Override
        public void mapCleared(MapEvent event) {
            listener.run();
        }
    }
}
