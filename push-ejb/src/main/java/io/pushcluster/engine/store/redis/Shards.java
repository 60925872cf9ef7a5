package io.pushcluster.engine.store.redis;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.ring.KetamaRing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The store's Redis servers, and which of them holds a key: the ketama ring over their weights. */
final class Shards implements AutoCloseable {

    private final Map<String, Shard> byName;
    private final KetamaRing ring;

    Shards(List<Shard> shards, Map<String, Integer> weights) {
        this.byName = new LinkedHashMap<>();
        shards.forEach(shard -> byName.put(shard.name(), shard));
        this.ring = KetamaRing.of(weights);
        if (!ring.nodes().equals(byName.keySet())) {
            throw new IllegalArgumentException("weights " + weights + " do not name exactly the servers "
                    + byName.keySet());
        }
    }

    /** A pool for every server of {@code push.redis.servers}. */
    static Shards open(PushSettings settings) {
        List<Shard> shards = new ArrayList<>();
        try {
            settings.redis().servers().forEach((name, uri) -> shards.add(new Shard(name, ShardAddress.parse(name, uri),
                    settings.redis().timeoutMillis(), settings.redis().poolMaxTotal(), settings.redis().poolMaxWaitMillis())));
            return new Shards(shards, settings.redis().weights());
        } catch (RuntimeException e) {
            shards.forEach(Shard::close);
            throw e;
        }
    }

    Shard forKey(String key) {
        return byName.get(ring.nodeFor(key));
    }

    /** The keys grouped by the server that holds them. */
    Map<Shard, List<String>> forKeys(Collection<String> keys) {
        Map<Shard, List<String>> grouped = new LinkedHashMap<>();
        for (String key : keys) {
            grouped.computeIfAbsent(forKey(key), shard -> new ArrayList<>()).add(key);
        }
        return grouped;
    }

    Collection<Shard> all() {
        return byName.values();
    }

    @Override
    public void close() {
        byName.values().forEach(Shard::close);
    }
}
