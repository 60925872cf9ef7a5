package io.pushcluster.engine.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.MessageStoreContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryMessageStoreTest extends MessageStoreContract {

    private InMemoryMessageStore last;

    @Override
    protected long copiesHeld(String body) {
        return last.copiesOf(body);
    }

    @Override
    protected MessageStore newStore(int cap, int publicCap) {
        return last = new InMemoryMessageStore(new PushSettings(name -> Optional.ofNullable(Map.of(
                PushSettings.STORE_CAP, Integer.toString(cap),
                PushSettings.PUBLIC_CAP, Integer.toString(publicCap)).get(name))));
    }

    @Test
    void capComesFromTheSettings() {
        PushSettings settings = new PushSettings(
                name -> Optional.ofNullable(Map.of(PushSettings.STORE_CAP, "2").get(name)));
        MessageStore store = new InMemoryMessageStore(settings);
        for (long mid = 1; mid <= 4; mid++) {
            store.save("k", new StoredMessage(mid, 0, "{}", NOW + HOUR));
        }
        assertEquals(2, store.messagesAfter("k", 0, NOW).size());
        assertEquals(3L, store.messagesAfter("k", 0, NOW).get(0).mid());
    }
}
