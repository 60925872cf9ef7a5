package io.pushcluster.engine.grid;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The grid of a node running alone (Hazelcast disabled): it is the only member. */
public final class SoloGrid implements Grid {

    private static final String ID = "solo";

    private volatile MemberCard card;
    private final Map<String, SharedMap> maps = new ConcurrentHashMap<>();

    @Override
    public String localId() {
        return ID;
    }

    @Override
    public String localHost() {
        return "127.0.0.1";
    }

    @Override
    public void publish(MemberCard card) {
        this.card = card;
    }

    @Override
    public void withdraw() {
        card = null;
    }

    @Override
    public Map<String, MemberCard> liveCards() {
        MemberCard published = card;
        return published == null ? Map.of() : Map.of(ID, published);
    }

    @Override
    public Set<String> memberIds() {
        return Set.of(ID);
    }

    @Override
    public void onChange(Runnable listener) {
        // a node alone never sees another member
    }

    @Override
    public void send(String memberId, byte[] payload) {
        throw new IllegalStateException("a node alone has no member " + memberId + " to send to");
    }

    @Override
    public void onReceive(Consumer<byte[]> receiver) {
        // nothing is ever sent to a node alone
    }

    @Override
    public SharedMap sharedMap(String name) {
        return maps.computeIfAbsent(name, n -> SharedMap.inMemory());
    }

    @Override
    public void leave() {
        card = null;
    }
}
