package io.pushcluster.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failure repeated at the rate of requests is one short line per interval, never a stack trace. */
class FailureLogTest {

    private final Logger logger = Logger.getLogger("failure-log-test-" + System.nanoTime());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.removeHandler(handler);
    }

    @Test
    void manyFailuresWithinAnIntervalAreOneLineWithoutAStackTraceAndTheNextLineCountsTheRest() {
        FailureLog log = new FailureLog(logger, clock::get);
        RuntimeException failure = new IllegalStateException("batch failed", new RuntimeException("server down"));
        assertTrue(log.log("storing a message for key k", failure));
        for (int i = 0; i < 500; i++) {
            assertFalse(log.log("storing a message for key k", failure));
        }
        assertEquals(1, records.size());
        LogRecord line = records.get(0);
        assertEquals(Level.WARNING, line.getLevel());
        assertNull(line.getThrown(), "no stack trace at WARNING");
        assertEquals("storing a message for key k failed: IllegalStateException: batch failed; caused by"
                + " RuntimeException: server down", line.getMessage());

        clock.addAndGet(FailureLog.INTERVAL_NANOS);
        assertTrue(log.log("storing a message for key k", failure));
        assertEquals(2, records.size());
        assertTrue(records.get(1).getMessage().endsWith("(500 similar failures not logged in the last seconds)"),
                records.get(1).getMessage());
    }

    @Test
    void theStackTraceIsThereAtFine() {
        logger.setLevel(Level.FINE);
        FailureLog log = new FailureLog(logger, clock::get);
        log.log("reading", new IllegalStateException("x"));
        log.log("reading", new IllegalStateException("y"));
        assertEquals(3, records.size());
        assertEquals(2, records.stream().filter(r -> r.getLevel() == Level.FINE && r.getThrown() != null).count());
    }
}
