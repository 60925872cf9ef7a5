package io.pushcluster.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.memory.InMemoryMessageStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasuredStoreTest {

    private final PushStats stats = new PushStats();

    @Test
    void operationsAreTimedAndFailuresCountedThenRethrown() {
        MessageStore store = new MeasuredStore(new InMemoryMessageStore(100), "memory", stats, "m1");
        long now = System.currentTimeMillis();
        store.save("k", new StoredMessage(1, 0, "{}", now + 60_000));
        store.saveForKeys(List.of("a", "b"), new StoredMessage(2, 0, "{}", now + 60_000));
        assertEquals(1, store.messagesAfter("k", 0, now).size());
        store.delete("k");
        assertEquals(2L, stats.storeTiming("memory", "save").timer().getCount());
        assertEquals(1L, stats.storeTiming("memory", "fetch").timer().getCount());
        assertEquals(1L, stats.storeTiming("memory", "delete").timer().getCount());
        assertEquals(0L, stats.storeFailures("memory", "save").getCount());
        assertEquals(2L, stats.storeTiming("memory", "save").buckets().counts().get("+Inf"), "and counted in its histogram");

        MessageStore down = new MeasuredStore(new InMemoryMessageStore(100) {
            @Override
            public void save(String key, StoredMessage message) {
                throw new StoreUnavailableException("down");
            }
        }, "broken", stats, "m1");
        assertThrows(StoreUnavailableException.class, () -> down.save("k", new StoredMessage(3, 0, "{}", now + 60_000)));
        assertEquals(1L, stats.storeFailures("broken", "save").getCount());
        assertEquals(1L, stats.storeTiming("broken", "save").timer().getCount(), "a failed save is timed too");
    }
}
