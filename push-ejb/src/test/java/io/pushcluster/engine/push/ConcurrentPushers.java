package io.pushcluster.engine.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.connection.FakeConnection;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.store.MessageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Threads that push to a few keys at once, each push with or without expiry at random, and what was
 * answered: per key, the mids of the pushes answered with a mid, and of those the stored ones. A push
 * that failed is in neither.
 */
final class ConcurrentPushers {

    private final Map<String, Set<Long>> answered = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> stored = new ConcurrentHashMap<>();

    /**
     * @param via the pushes each thread uses, by thread number
     */
    static ConcurrentPushers run(int threads, int pushesPerThread, List<String> keys, IntFunction<Pushes> via)
            throws Exception {
        ConcurrentPushers run = new ConcurrentPushers();
        for (String key : keys) {
            run.answered.put(key, ConcurrentHashMap.newKeySet());
            run.stored.put(key, ConcurrentHashMap.newKeySet());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Pushes pushes = via.apply(t);
                done.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < pushesPerThread; i++) {
                        String key = keys.get(random.nextInt(keys.size()));
                        long expire = random.nextBoolean() ? 0 : 60;
                        try {
                            long mid = pushes.push(key, "{\"i\":" + i + "}", expire);
                            run.answered.get(key).add(mid);
                            if (expire > 0) {
                                run.stored.get(key).add(mid);
                            }
                        } catch (PushFailedException e) {
                            // answered 65535: must be neither delivered nor stored
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return run;
    }

    /**
     * The subscriber got exactly the pushes to its key that were answered with a mid, each once, in
     * increasing mid order, and the store holds exactly the stored ones.
     */
    void assertDeliveredAndStoredAsAnswered(FakeConnection subscriber, MessageStore store) {
        String key = subscriber.key();
        List<Long> mids = subscriber.received.stream().map(PushedMessage::mid).toList();
        for (int i = 1; i < mids.size(); i++) {
            assertTrue(mids.get(i - 1) < mids.get(i), key + ": mid " + mids.get(i) + " after " + mids.get(i - 1));
        }
        assertEquals(answered.get(key), Set.copyOf(mids), key + ": delivered exactly what was answered");
        assertEquals(answered.get(key).size(), mids.size(), key + ": each once");
        assertEquals(stored.get(key), store.messagesAfter(key, 0, System.currentTimeMillis()).stream()
                .map(StoredMessage::mid).collect(Collectors.toSet()), key + ": stored exactly what was answered as stored");
    }
}
