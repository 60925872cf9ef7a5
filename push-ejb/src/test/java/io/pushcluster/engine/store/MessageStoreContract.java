package io.pushcluster.engine.store;

import io.pushcluster.engine.message.PublicStream;
import io.pushcluster.engine.message.PushedMessage;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageStore} backend must do. A backend's test extends this class and says how
 * to make an empty store with a given per-key cap; everything here goes through the interface only.
 */
public abstract class MessageStoreContract {

    /** A "now" well inside the range of epoch milliseconds. */
    protected static final long NOW = 1_700_000_000_000L;
    protected static final long HOUR = 3_600_000L;
    /** mids in the microsecond range of {@code MessageIds}, below 2^53. */
    protected static final long MID = 1_700_000_000_000_000L;

    /** An empty store that keeps at most {@code cap} messages per key, and {@code publicCap} public ones. */
    protected abstract MessageStore newStore(int cap, int publicCap);

    /** An empty store that keeps at most {@code cap} messages per key, the public stream's too. */
    protected MessageStore newStore(int cap) {
        return newStore(cap, cap);
    }

    /** An unexpired public message (gid 1) with the given mid. */
    protected static StoredMessage publicMessage(long mid, long expiresAtMillis) {
        return new StoredMessage(mid, PushedMessage.PUBLIC, "{\"p\":" + mid + "}", expiresAtMillis);
    }

    /** An unexpired message with the given mid. */
    protected static StoredMessage message(long mid) {
        return new StoredMessage(mid, 0, "{\"n\":" + mid + "}", NOW + HOUR);
    }

    protected static StoredMessage expiringAt(long mid, long expiresAtMillis) {
        return new StoredMessage(mid, 0, "{\"n\":" + mid + "}", expiresAtMillis);
    }

    private static List<Long> mids(List<StoredMessage> messages) {
        List<Long> mids = new ArrayList<>();
        messages.forEach(m -> mids.add(m.mid()));
        return mids;
    }

    @Test
    void anEmptyStoreHasNothing() {
        MessageStore store = newStore(20);
        assertEquals(List.of(), store.messagesAfter("k", 0, NOW));
        assertEquals(0L, store.maxMid());
        assertEquals(0, store.purgeExpired(NOW));
    }

    @Test
    void savedMessagesComeBackOldestFirst() {
        MessageStore store = newStore(20);
        StoredMessage m1 = message(MID + 1);
        StoredMessage m2 = message(MID + 2);
        StoredMessage m3 = message(MID + 3);
        store.save("k", m1);
        store.save("k", m2);
        store.save("k", m3);
        assertEquals(List.of(m1, m2, m3), store.messagesAfter("k", 0, NOW));
    }

    @Test
    void messagesComeBackOrderedByMidWhateverTheOrderTheyWereSaved() {
        MessageStore store = newStore(20);
        store.save("k", message(MID + 3));
        store.save("k", message(MID + 1));
        store.save("k", message(MID + 2));
        assertEquals(List.of(MID + 1, MID + 2, MID + 3), mids(store.messagesAfter("k", 0, NOW)));
    }

    @Test
    void afterMidIsExclusive() {
        MessageStore store = newStore(20);
        for (long i = 1; i <= 4; i++) {
            store.save("k", message(MID + i));
        }
        assertEquals(List.of(MID + 3, MID + 4), mids(store.messagesAfter("k", MID + 2, NOW)));
        assertEquals(List.of(MID + 1, MID + 2, MID + 3, MID + 4), mids(store.messagesAfter("k", MID, NOW)));
        assertEquals(List.of(MID + 4), mids(store.messagesAfter("k", MID + 3, NOW)));
        assertEquals(List.of(), store.messagesAfter("k", MID + 4, NOW));
        assertEquals(List.of(), store.messagesAfter("k", MID + 1_000, NOW));
    }

    @Test
    void afterAMidBetweenStoredOnesStartsAtTheNextStoredOne() {
        MessageStore store = newStore(20);
        store.save("k", message(MID + 10));
        store.save("k", message(MID + 20));
        assertEquals(List.of(MID + 20), mids(store.messagesAfter("k", MID + 15, NOW)));
    }

    @Test
    void messagesAreReturnedExactlyAsStored() {
        MessageStore store = newStore(20);
        String text = "{\"text\":\"line1\\nline2 \\\"q\\\" é 日本語 😀 \u2028\",\"list\":[1,2.5,null,true]}";
        StoredMessage stored = new StoredMessage((1L << 53) - 1, 0, text, NOW + 5 * HOUR);
        store.save("k", stored);
        List<StoredMessage> found = store.messagesAfter("k", 0, NOW);
        assertEquals(1, found.size());
        assertEquals(stored.mid(), found.get(0).mid());
        assertEquals(stored.gid(), found.get(0).gid());
        assertEquals(text, found.get(0).message());
        assertEquals(stored.expiresAtMillis(), found.get(0).expiresAtMillis());
    }

    @Test
    void aLargeMessageIsKeptWhole() {
        MessageStore store = newStore(20);
        String text = "\"" + "x".repeat(32 * 1024 - 2) + "\"";
        store.save("k", new StoredMessage(MID, 0, text, NOW + HOUR));
        assertEquals(text, store.messagesAfter("k", 0, NOW).get(0).message());
    }

    @Test
    void readingDeletesNothing() {
        MessageStore store = newStore(20);
        store.save("k", message(MID + 1));
        store.save("k", message(MID + 2));
        store.messagesAfter("k", 0, NOW);
        store.messagesAfter("k", MID + 1, NOW);
        assertEquals(List.of(MID + 1, MID + 2), mids(store.messagesAfter("k", 0, NOW)));
    }

    @Test
    void theCapKeepsTheNewestMessages() {
        MessageStore store = newStore(3);
        for (long i = 1; i <= 5; i++) {
            store.save("k", message(MID + i));
        }
        assertEquals(List.of(MID + 3, MID + 4, MID + 5), mids(store.messagesAfter("k", 0, NOW)));
        store.save("k", message(MID + 6));
        assertEquals(List.of(MID + 4, MID + 5, MID + 6), mids(store.messagesAfter("k", 0, NOW)));
    }

    @Test
    void aCapOfOneKeepsOnlyTheLatest() {
        MessageStore store = newStore(1);
        store.save("k", message(MID + 1));
        store.save("k", message(MID + 2));
        assertEquals(List.of(MID + 2), mids(store.messagesAfter("k", 0, NOW)));
    }

    @Test
    void theCapIsPerKey() {
        MessageStore store = newStore(2);
        for (long i = 1; i <= 4; i++) {
            store.save("a", message(MID + i));
        }
        store.save("b", message(MID + 10));
        assertEquals(List.of(MID + 3, MID + 4), mids(store.messagesAfter("a", 0, NOW)));
        assertEquals(List.of(MID + 10), mids(store.messagesAfter("b", 0, NOW)));
    }

    @Test
    void thePublicStreamKeepsItsOwnCap() {
        MessageStore store = newStore(2, 5);
        for (long i = 1; i <= 7; i++) {
            store.save(PublicStream.KEY, publicMessage(MID + i, NOW + HOUR));
            store.save("k", message(MID + 100 + i));
        }
        assertEquals(List.of(MID + 3, MID + 4, MID + 5, MID + 6, MID + 7),
                mids(store.messagesAfter(PublicStream.KEY, 0, NOW)));
        assertEquals(List.of(MID + 106, MID + 107), mids(store.messagesAfter("k", 0, NOW)));
        assertEquals(List.of(MID + 6, MID + 7), mids(store.messagesAfter(PublicStream.KEY, MID + 5, NOW)),
                "a client's last pmid is exclusive, as a mid is");
    }

    @Test
    void aPublicMessageIsStoredOnceUnderItsStreamWithItsGid() {
        MessageStore store = newStore(20, 20);
        StoredMessage stored = publicMessage(MID + 9, NOW + HOUR);
        store.save(PublicStream.KEY, stored);
        assertEquals(List.of(stored), store.messagesAfter(PublicStream.KEY, 0, NOW));
        assertEquals(List.of(), store.messagesAfter("k", 0, NOW), "no key's history holds it");
        assertEquals(MID + 9, store.maxMid(), "a new owner of the stream starts its ids past it");
    }

    @Test
    void publicMessagesExpireAndArePurgedLikeAnyOther() {
        MessageStore store = newStore(20, 20);
        store.save(PublicStream.KEY, publicMessage(MID + 1, NOW - 1));
        store.save(PublicStream.KEY, publicMessage(MID + 2, NOW + HOUR));
        assertEquals(1, store.purgeExpired(NOW));
        assertEquals(List.of(MID + 2), mids(store.messagesAfter(PublicStream.KEY, 0, NOW - 10)),
                "the purge removed the expired one and kept the other");
    }

    @Test
    void expiredMessagesAreNeverReturned() {
        MessageStore store = newStore(20);
        store.save("k", expiringAt(MID + 1, NOW - 1));
        store.save("k", expiringAt(MID + 2, NOW + HOUR));
        store.save("k", expiringAt(MID + 3, NOW - HOUR));
        store.save("k", expiringAt(MID + 4, NOW + 1));
        assertEquals(List.of(MID + 2, MID + 4), mids(store.messagesAfter("k", 0, NOW)));
        assertEquals(List.of(MID + 2), mids(store.messagesAfter("k", 0, NOW + 2)));
        assertEquals(List.of(), store.messagesAfter("k", 0, NOW + 2 * HOUR));
    }

    @Test
    void expiryIsJudgedAtTheGivenTime() {
        MessageStore store = newStore(20);
        store.save("k", expiringAt(MID, NOW + HOUR));
        assertEquals(1, store.messagesAfter("k", 0, NOW + HOUR - 1).size());
        assertEquals(0, store.messagesAfter("k", 0, NOW + HOUR + 1).size());
    }

    @Test
    void purgeExpiredRemovesExpiredMessagesAndCountsThem() {
        MessageStore store = newStore(20);
        store.save("a", expiringAt(MID + 1, NOW - HOUR));
        store.save("a", expiringAt(MID + 2, NOW + HOUR));
        store.save("b", expiringAt(MID + 3, NOW - 1));
        store.save("c", expiringAt(MID + 4, NOW - 2 * HOUR));
        store.save("c", expiringAt(MID + 5, NOW - HOUR));

        assertEquals(4, store.purgeExpired(NOW));

        // looking from before they expired shows that they are gone, not just hidden
        long before = NOW - 3 * HOUR;
        assertEquals(List.of(MID + 2), mids(store.messagesAfter("a", 0, before)));
        assertEquals(List.of(), store.messagesAfter("b", 0, before));
        assertEquals(List.of(), store.messagesAfter("c", 0, before));
        assertEquals(0, store.purgeExpired(NOW), "nothing left to purge");
    }

    @Test
    void purgeExpiredKeepsUnexpiredMessages() {
        MessageStore store = newStore(20);
        store.save("k", expiringAt(MID + 1, NOW + 1));
        store.save("k", expiringAt(MID + 2, NOW + HOUR));
        assertEquals(0, store.purgeExpired(NOW));
        assertEquals(List.of(MID + 1, MID + 2), mids(store.messagesAfter("k", 0, NOW)));
    }

    @Test
    void deleteRemovesEveryMessageOfThatKeyOnly() {
        MessageStore store = newStore(20);
        store.save("a", message(MID + 1));
        store.save("a", message(MID + 2));
        store.save("b", message(MID + 3));
        store.save("ab", message(MID + 4));
        store.delete("a");
        assertEquals(List.of(), store.messagesAfter("a", 0, NOW));
        assertEquals(List.of(MID + 3), mids(store.messagesAfter("b", 0, NOW)));
        assertEquals(List.of(MID + 4), mids(store.messagesAfter("ab", 0, NOW)));
    }

    @Test
    void deletingAnUnknownKeyDoesNothing() {
        MessageStore store = newStore(20);
        store.save("a", message(MID + 1));
        assertDoesNotThrow(() -> store.delete("nobody"));
        assertEquals(List.of(MID + 1), mids(store.messagesAfter("a", 0, NOW)));
    }

    @Test
    void aKeyCanBeUsedAgainAfterDelete() {
        MessageStore store = newStore(20);
        store.save("a", message(MID + 1));
        store.delete("a");
        store.save("a", message(MID + 2));
        assertEquals(List.of(MID + 2), mids(store.messagesAfter("a", 0, NOW)));
    }

    @Test
    void saveForKeysStoresTheMessageForEveryKey() {
        MessageStore store = newStore(20);
        StoredMessage m = message(MID + 1);
        store.saveForKeys(List.of("a", "b", "c"), m);
        for (String key : List.of("a", "b", "c")) {
            assertEquals(List.of(m), store.messagesAfter(key, 0, NOW), key);
        }
        assertEquals(List.of(), store.messagesAfter("d", 0, NOW));
    }

    @Test
    void saveForKeysCapsEveryKey() {
        MessageStore store = newStore(2);
        store.save("a", message(MID + 1));
        store.save("a", message(MID + 2));
        store.save("b", message(MID + 3));
        store.saveForKeys(Set.of("a", "b"), message(MID + 10));
        assertEquals(List.of(MID + 2, MID + 10), mids(store.messagesAfter("a", 0, NOW)));
        assertEquals(List.of(MID + 3, MID + 10), mids(store.messagesAfter("b", 0, NOW)));
    }

    @Test
    void saveForKeysWithManyKeys() {
        MessageStore store = newStore(20);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            keys.add("user-" + i);
        }
        store.saveForKeys(keys, message(MID + 1));
        for (String key : keys) {
            assertEquals(List.of(MID + 1), mids(store.messagesAfter(key, 0, NOW)), key);
        }
    }

    @Test
    void deletingOneKeyOfAMultiKeyPushLeavesTheOthers() {
        MessageStore store = newStore(20);
        store.saveForKeys(List.of("a", "b"), message(MID + 1));
        store.delete("a");
        assertEquals(List.of(), store.messagesAfter("a", 0, NOW));
        assertEquals(List.of(MID + 1), mids(store.messagesAfter("b", 0, NOW)));
    }

    @Test
    void saveForNoKeysStoresNothing() {
        MessageStore store = newStore(20);
        store.saveForKeys(List.of(), message(MID + 1));
        assertEquals(0L, store.maxMid());
    }

    @Test
    void maxMidIsTheLargestMidOfAnyKey() {
        MessageStore store = newStore(20);
        store.save("a", message(MID + 5));
        store.save("b", message(MID + 9));
        store.save("c", message(MID + 7));
        assertEquals(MID + 9, store.maxMid());
        store.save("a", message(MID + 12));
        assertEquals(MID + 12, store.maxMid());
    }

    @Test
    void maxMidIsExactAtTheLargestExactMid() {
        MessageStore store = newStore(20);
        long largest = (1L << 53) - 1;
        store.save("k", message(largest - 1));
        store.save("k", message(largest));
        assertEquals(largest, store.maxMid());
        assertEquals(List.of(largest), mids(store.messagesAfter("k", largest - 1, NOW)));
    }

    @Test
    void keysAreIsolated() {
        MessageStore store = newStore(20);
        store.save("user-1", message(MID + 1));
        store.save("user-10", message(MID + 2));
        store.save("USER-1", message(MID + 3));
        store.save("用户-1", message(MID + 4));
        assertEquals(List.of(MID + 1), mids(store.messagesAfter("user-1", 0, NOW)));
        assertEquals(List.of(MID + 2), mids(store.messagesAfter("user-10", 0, NOW)));
        assertEquals(List.of(MID + 3), mids(store.messagesAfter("USER-1", 0, NOW)), "keys are case-sensitive");
        assertEquals(List.of(MID + 4), mids(store.messagesAfter("用户-1", 0, NOW)));
        assertEquals(List.of(), store.messagesAfter("user-", 0, NOW));
        assertEquals(List.of(), store.messagesAfter("user-%", 0, NOW));
    }

    @Test
    void aLongKeyWorks() {
        MessageStore store = newStore(20);
        String key = "k".repeat(128);
        store.save(key, message(MID));
        assertEquals(List.of(MID), mids(store.messagesAfter(key, 0, NOW)));
        assertEquals(List.of(), store.messagesAfter(key.substring(1), 0, NOW));
    }

    @Test
    void checkPassesOnAWorkingStore() {
        assertDoesNotThrow(() -> newStore(20).check());
    }

    @Test
    void concurrentSavesToOneKeyKeepTheCap() throws Exception {
        MessageStore store = newStore(5);
        Thread[] threads = new Thread[4];
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads.length; t++) {
            long base = MID + t * 1_000L;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    try {
                        store.save("k", message(base + i));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertEquals(List.of(), failures.stream().map(Throwable::toString).toList(), "every save must succeed");
        List<Long> kept = mids(store.messagesAfter("k", 0, NOW));
        assertEquals(5, kept.size(), "kept " + kept);
        assertTrue(kept.contains(MID + 3_049), "the newest message must be kept: " + kept);
    }

    @Test
    void aMultiKeySaveOfManyKeysStoresAndCapsEveryKey() {
        MessageStore store = newStore(2);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            keys.add("many-" + i);
        }
        store.saveForKeys(keys, message(MID + 1));
        store.saveForKeys(keys, message(MID + 2));
        store.saveForKeys(keys, message(MID + 3));
        for (String key : List.of("many-0", "many-499", "many-500", "many-1000", "many-1199")) {
            assertEquals(List.of(MID + 2, MID + 3), mids(store.messagesAfter(key, 0, NOW)), key);
        }
    }

    // ---- a message for several keys (a group or multi-key push) is stored once, each key referring to it

    /**
     * How many times the store holds this exact message text now: as a body shared by keys, or in a
     * key's own record. A message stored once for many keys counts 1.
     */
    protected abstract long copiesHeld(String body);

    /** How many servers of the store hold some of the keys: a shared message is stored once on each. */
    protected long serversHolding(List<String> keys) {
        return 1;
    }

    /** A message of about 1 KB whose text tells it apart. */
    protected static StoredMessage sharedMessage(long mid, long expiresAtMillis) {
        return new StoredMessage(mid, 0, "{\"shared\":" + mid + ",\"pad\":\"" + "x".repeat(1_000) + "\"}",
                expiresAtMillis);
    }

    private static List<String> keys(String prefix, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    @Test
    void aMessageForManyKeysIsStoredOnceAndEveryKeyReadsItWhole() {
        MessageStore store = newStore(20);
        StoredMessage shared = sharedMessage(MID + 1, NOW + HOUR);
        store.saveForKeys(keys("g-", 50), shared);
        assertEquals(serversHolding(keys("g-", 50)), copiesHeld(shared.message()));
        for (String key : keys("g-", 50)) {
            assertEquals(List.of(shared), store.messagesAfter(key, 0, NOW), key);
        }
    }

    @Test
    void aSharedMessageTakesItsPlaceInEachKeysOwnMidOrder() {
        MessageStore store = newStore(20);
        StoredMessage shared = sharedMessage(MID + 2, NOW + HOUR);
        store.save("a", message(MID + 1));
        store.saveForKeys(List.of("a", "b", "c"), shared);
        store.save("a", message(MID + 3));
        store.save("b", message(MID + 4));
        assertEquals(List.of(message(MID + 1), shared, message(MID + 3)), store.messagesAfter("a", 0, NOW));
        assertEquals(List.of(shared, message(MID + 4)), store.messagesAfter("b", 0, NOW));
        assertEquals(List.of(message(MID + 4)), store.messagesAfter("b", MID + 2, NOW));
        assertEquals(List.of(shared), store.messagesAfter("c", MID + 1, NOW));
    }

    @Test
    void aSharedBodyStaysWhileAnyKeyRefersToItAndGoesWithTheLastReference() {
        MessageStore store = newStore(20);
        StoredMessage shared = sharedMessage(MID + 1, NOW + HOUR);
        store.saveForKeys(List.of("a", "b", "c"), shared);
        store.delete("a");
        store.delete("b");
        assertEquals(List.of(), store.messagesAfter("a", 0, NOW));
        assertEquals(List.of(shared), store.messagesAfter("c", 0, NOW));
        assertEquals(1, copiesHeld(shared.message()));
        store.delete("c");
        assertEquals(0, copiesHeld(shared.message()), "no history refers to it: the body is gone");
    }

    @Test
    void theCapDropsAKeysReferenceAndTheBodyGoesWhenEveryKeyHasDroppedIt() {
        MessageStore store = newStore(2);
        StoredMessage shared = sharedMessage(MID + 1, NOW + HOUR);
        store.saveForKeys(List.of("a", "b"), shared);
        // enough newer messages that every backend has trimmed both keys past the cap
        for (long i = 2; i <= 30; i++) {
            store.save("a", message(MID + i));
        }
        assertEquals(List.of(MID + 29, MID + 30), mids(store.messagesAfter("a", 0, NOW)));
        assertEquals(List.of(shared), store.messagesAfter("b", 0, NOW), "b still refers to it");
        assertEquals(1, copiesHeld(shared.message()));
        store.saveForKeys(List.of("a", "b"), sharedMessage(MID + 31, NOW + HOUR));
        for (long i = 32; i <= 60; i++) {
            store.save("b", message(MID + i));
        }
        assertEquals(List.of(MID + 59, MID + 60), mids(store.messagesAfter("b", 0, NOW)));
        assertEquals(0, copiesHeld(shared.message()), "trimmed from every key: the body is gone");
        assertEquals(1, copiesHeld(sharedMessage(MID + 31, NOW + HOUR).message()), "a still refers to the newer one");
    }

    @Test
    void aSharedMessageExpiresForEveryKeyAndThePurgeRemovesItsBody() {
        MessageStore store = newStore(20);
        StoredMessage shared = sharedMessage(MID + 1, NOW + 10);
        store.saveForKeys(List.of("a", "b", "c"), shared);
        store.save("a", message(MID + 2));
        assertEquals(List.of(shared), store.messagesAfter("b", 0, NOW));
        assertEquals(List.of(), store.messagesAfter("b", 0, NOW + 10), "expired for every key at once");
        assertEquals(List.of(message(MID + 2)), store.messagesAfter("a", 0, NOW + 10));
        assertEquals(3, store.purgeExpired(NOW + 10), "a reference counts as the key's message");
        assertEquals(0, copiesHeld(shared.message()));
        assertEquals(List.of(message(MID + 2)), store.messagesAfter("a", 0, NOW));
    }

    /**
     * Threads save shared messages to overlapping keys with a small cap, private ones in between,
     * and delete keys: every key ends with exactly its newest messages, each whole, and once every
     * key is deleted no body is left.
     */
    @Test
    void concurrentSharedSavesTrimsAndDeletesKeepEveryKeyRightAndLeaveNoBodyBehind() throws Exception {
        int cap = 3;
        MessageStore store = newStore(cap);
        List<String> keys = keys("c-", 6);
        java.util.concurrent.atomic.AtomicLong mids = new java.util.concurrent.atomic.AtomicLong(MID);
        java.util.Map<String, java.util.concurrent.ConcurrentSkipListMap<Long, StoredMessage>> saved =
                new java.util.concurrent.ConcurrentHashMap<>();
        keys.forEach(key -> saved.put(key, new java.util.concurrent.ConcurrentSkipListMap<>()));
        java.util.Set<String> sharedBodies = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[6];
        for (int t = 0; t < threads.length; t++) {
            int seed = t;
            threads[t] = new Thread(() -> {
                java.util.Random random = new java.util.Random(seed);
                try {
                    for (int i = 0; i < 60; i++) {
                        String one = keys.get(random.nextInt(keys.size()));
                        // mids are taken and saved under the key's lock, so that each key's saves are in mid order
                        if (random.nextInt(3) == 0) {
                            synchronized (saved.get(one)) {
                                StoredMessage own = message(mids.incrementAndGet());
                                store.save(one, own);
                                saved.get(one).put(own.mid(), own);
                            }
                            continue;
                        }
                        java.util.SortedSet<String> some = new java.util.TreeSet<>();
                        int count = 2 + random.nextInt(keys.size() - 1);
                        while (some.size() < count) {
                            some.add(keys.get(random.nextInt(keys.size())));
                        }
                        lockAll(new ArrayList<>(some), saved, () -> {
                            StoredMessage shared = sharedMessage(mids.incrementAndGet(), NOW + HOUR);
                            sharedBodies.add(shared.message());
                            store.saveForKeys(some, shared);
                            some.forEach(key -> saved.get(key).put(shared.mid(), shared));
                        });
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        assertEquals(List.of(), failures.stream().map(Throwable::toString).toList(), "every save must succeed");
        for (String key : keys) {
            List<StoredMessage> newest = new ArrayList<>(saved.get(key).values());
            newest = newest.subList(Math.max(0, newest.size() - cap), newest.size());
            assertEquals(newest, store.messagesAfter(key, 0, NOW), key);
        }
        keys.forEach(store::delete);
        for (String body : sharedBodies) {
            assertEquals(0, copiesHeld(body), "a body left behind");
        }
    }

    private static void lockAll(List<String> sortedKeys, java.util.Map<String, ?> locks, Runnable work) {
        if (sortedKeys.isEmpty()) {
            work.run();
            return;
        }
        synchronized (locks.get(sortedKeys.get(0))) {
            lockAll(sortedKeys.subList(1, sortedKeys.size()), locks, work);
        }
    }
}
