package io.pushcluster.engine.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.cluster.DeliveryRouter;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.SoloGrid;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.FakeConnection;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.PartialSaveException;
import io.pushcluster.engine.store.StoreUnavailableException;
import io.pushcluster.engine.store.memory.InMemoryMessageStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Store-then-deliver and the limits of {@link Pushes}, with an in-memory or a failing store. */
class PushesTest {

    private final PushSettings settings = new PushSettings(name -> Optional.ofNullable(Map.of(
            PushSettings.KEY_MAX_LENGTH, "10",
            PushSettings.MESSAGE_MAX_BYTES, "20",
            PushSettings.MULTI_MAX_KEYS, "3").get(name)));
    private final PushStats stats = new PushStats();
    private final ConnectionHub hub = new ConnectionHub(settings, stats);
    private final FakeConnection subscriber = new FakeConnection("k1");
    private Pushes push;

    @BeforeEach
    void wire() {
        push = withStore(new InMemoryMessageStore(20));
        hub.add(subscriber);
    }

    private Pushes withStore(MessageStore store) {
        Pushes bean = new Pushes();
        bean.settings = settings;
        bean.ids = new MessageIdSource();
        bean.store = store;
        bean.router = new DeliveryRouter(new Membership(settings), new SoloGrid(), hub, stats);
        bean.tokens = new Tokens(settings);
        bean.stats = stats;
        return bean;
    }

    @Test
    void storesBeforeDeliveringWithTheSameMid() {
        long mid = push.push("k1", "{\"a\":1}", 60);
        assertEquals(1, subscriber.received.size());
        assertEquals(mid, subscriber.received.get(0).mid());
        assertEquals(List.of(mid), push.messagesAfter("k1", 0).stream().map(StoredMessage::mid).toList());
    }

    @Test
    void zeroExpiryIsDeliveredButNotStored() {
        push.push("k1", "{}", 0);
        assertEquals(1, subscriber.received.size());
        assertTrue(push.messagesAfter("k1", 0).isEmpty());
    }

    @Test
    void aStorageFailureFailsThePushAndDeliversNothing() {
        push = withStore(new FailingStore());
        assertThrows(PushFailedException.class, () -> push.push("k1", "{}", 60));
        assertTrue(subscriber.received.isEmpty());
        assertEquals(1L, stats.messageCounters().get("failed"));
        assertEquals(0L, stats.messageCounters().get("pushed"));
    }

    @Test
    void aStorageFailureDoesNotStopLiveOnlyPushes() {
        push = withStore(new FailingStore());
        push.push("k1", "{}", 0);
        assertEquals(1, subscriber.received.size());
    }

    @Test
    void aStorageFailureInAMultiPushReportsEveryKeyFailed() {
        push = withStore(new FailingStore());
        assertEquals(List.of("k1", "k2"), push.pushToMany(List.of("k1", "k2", "k1"), "{}", 60));
        assertTrue(subscriber.received.isEmpty());
    }

    @Test
    void aPartlyFailedMultiPushReportsAndSkipsOnlyTheKeysThatFailed() {
        FakeConnection other = new FakeConnection("k2");
        hub.add(other);
        push = withStore(new InMemoryMessageStore(20) {
            @Override
            public void saveForKeys(Collection<String> keys, StoredMessage message) {
                super.saveForKeys(List.of("k1"), message);
                throw new PartialSaveException(Set.of("k2"), null);
            }
        });
        assertEquals(List.of("k2"), push.pushToMany(List.of("k1", "k2"), "{}", 60));
        assertEquals(1, subscriber.received.size(), "the stored key is delivered");
        assertTrue(other.received.isEmpty(), "the key that was not stored is not");
        assertEquals(1L, stats.messageCounters().get("failed"));
        assertEquals(1L, stats.messageCounters().get("stored"));
    }

    @Test
    void aMultiPushStoresForEveryDistinctKeyOnce() {
        assertEquals(List.of(), push.pushToMany(List.of("k1", "k2", "k1"), "[1]", 60));
        assertEquals(1, push.messagesAfter("k1", 0).size());
        assertEquals(1, push.messagesAfter("k2", 0).size());
        assertEquals(1, subscriber.received.size());
    }

    @Test
    void limitsAreParameterErrorsAndInvalidJsonIsAFailure() {
        assertThrows(InvalidParameterException.class, () -> push.push("", "{}", 0));
        assertThrows(InvalidParameterException.class, () -> push.push("k".repeat(11), "{}", 0));
        assertThrows(InvalidParameterException.class, () -> push.push("k1", "\"" + "x".repeat(20) + "\"", 0));
        assertThrows(InvalidParameterException.class, () -> push.push("k1", "{}", -1));
        assertThrows(InvalidParameterException.class, () -> push.pushToMany(List.of("a", "b", "c", "d"), "{}", 0));
        assertThrows(InvalidParameterException.class, () -> push.pushToMany(List.of(), "{}", 0));
        assertThrows(InvalidParameterException.class, () -> push.pushToMany(List.of("a", ""), "{}", 0));
        assertThrows(PushFailedException.class, () -> push.push("k1", "{oops", 60));
        assertTrue(subscriber.received.isEmpty());
        assertTrue(push.messagesAfter("k1", 0).isEmpty());
    }

    @Test
    void midsIncreaseAndTimeIdPrecedesTheNextPush() {
        long first = push.push("k1", "1", 0);
        long time = push.currentTimeId();
        long second = push.push("k1", "2", 0);
        assertTrue(first <= time && time < second);
    }

    private static final class FailingStore implements MessageStore {
        private static StoreUnavailableException down() {
            return new StoreUnavailableException("store down", null);
        }

        @Override
        public void save(String key, StoredMessage message) {
            throw down();
        }

        @Override
        public void saveForKeys(Collection<String> keys, StoredMessage message) {
            throw down();
        }

        @Override
        public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
            throw down();
        }

        @Override
        public void delete(String key) {
            throw down();
        }

        @Override
        public int purgeExpired(long nowMillis) {
            throw down();
        }

        @Override
        public long maxMid() {
            throw down();
        }

        @Override
        public void check() {
            throw down();
        }
    }
}
