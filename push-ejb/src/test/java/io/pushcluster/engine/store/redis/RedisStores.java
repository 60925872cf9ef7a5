package io.pushcluster.engine.store.redis;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.ring.KetamaRing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Opens stores for a test from settings, and closes them all afterwards. */
final class RedisStores implements AutoCloseable {

    private final List<RedisMessageStore> opened = new ArrayList<>();

    /** A store configured by {@code settings} (over the defaults) whose clock stands at {@code nowMillis}. */
    RedisMessageStore open(Map<String, String> settings, int cap, long nowMillis) {
        return open(settings, cap, () -> nowMillis);
    }

    RedisMessageStore open(Map<String, String> settings, int cap, LongSupplier clockMillis) {
        return open(settings, cap, cap, clockMillis);
    }

    /** As {@link #open}, keeping {@code publicCap} messages of the public stream. */
    RedisMessageStore open(Map<String, String> settings, int cap, int publicCap, LongSupplier clockMillis) {
        Map<String, String> values = new HashMap<>(settings);
        values.put(PushSettings.STORE_CAP, Integer.toString(cap));
        values.put(PushSettings.PUBLIC_CAP, Integer.toString(publicCap));
        PushSettings pushSettings = new PushSettings(name -> Optional.ofNullable(values.get(name)));
        RedisMessageStore store = new RedisMessageStore(Shards.open(pushSettings), pushSettings.redis().keyPrefix(),
                pushSettings::storeCapOf, clockMillis);
        opened.add(store);
        return store;
    }

    /** The first of the keys user-0, user-1, ... that the ring puts on {@code server}. */
    static String keyOn(String server, Map<String, Integer> weights) {
        KetamaRing ring = KetamaRing.of(weights);
        for (int i = 0;; i++) {
            if (ring.nodeFor("user-" + i).equals(server)) {
                return "user-" + i;
            }
        }
    }

    @Override
    public void close() {
        opened.forEach(RedisMessageStore::close);
        opened.clear();
    }
}
