package io.pushcluster.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreHealthTest {

    private final Logger logger = Logger.getLogger(StoreHealth.class.getName());
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final AtomicLong clock = new AtomicLong(1_000);
    private final StoreHealth health = new StoreHealth("m1", "jpa", clock::get);

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    @Test
    void downAndUpAreLoggedOnceEachWithTheMemberName() {
        health.succeeded();
        assertEquals(List.of(), lines);
        for (int i = 0; i < 100; i++) {
            health.failed(new StoreUnavailableException("connection refused"));
        }
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("WARNING member m1: message store jpa down: StoreUnavailableException: connection refused"),
                lines.get(0));
        assertTrue(health.down());
        clock.addAndGet(TimeUnit.SECONDS.toNanos(7));
        health.succeeded();
        health.succeeded();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("INFO member m1: message store jpa up again after 7 s down (100 operations failed)", lines.get(1));
        assertFalse(health.down());
    }

    @Test
    void aStoreThatFailsEveryOtherOperationWritesALineEveryFewSecondsOnly() {
        for (int i = 0; i < 1000; i++) {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10)); // 10 s in all
            health.failed(new StoreUnavailableException("flapping"));
            health.succeeded();
        }
        assertTrue(lines.size() <= 4, lines.toString());
    }

    @Test
    void failuresThatAreNotTheStoreBeingUnreachableDoNotMakeItDown() {
        health.failed(new IllegalStateException("a bug"));
        assertFalse(health.down());
        assertEquals(List.of(), lines);
    }

    /** Eight threads fail at once: one "down" line; then eight succeed at once: one "up" line. */
    @Test
    void concurrentOperationsLogEachChangeOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    health.failed(new StoreUnavailableException("down"));
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        clock.addAndGet(StoreHealth.QUIET_NANOS);
        ExecutorService again = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            again.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    health.succeeded();
                }
            });
        }
        again.shutdown();
        assertTrue(again.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("8000 operations failed"), lines.get(1));
    }
}
