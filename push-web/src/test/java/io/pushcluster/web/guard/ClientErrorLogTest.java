package io.pushcluster.web.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ClientErrorLogTest {

    private static final String JERSEY = "org.glassfish.jersey.server.ServerRuntime$Responder";

    private final AtomicLong now = new AtomicLong(1_000);
    private final ClientErrorLog.Counter counter = new ClientErrorLog.Counter(now::get);

    private static LogRecord record(String logger, Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Error while closing the output stream in order to commit response.");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }

    private static Throwable brokenConnection() {
        return new UncheckedIOException(new IOException("Connection is closed"));
    }

    @Test
    void aBrokenConnectionLoggedByTheContainerBecomesOneCountedLinePerInterval() {
        ClientErrorLog filter = new ClientErrorLog(null, counter);
        List<LogRecord> written = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            LogRecord record = record(JERSEY, brokenConnection());
            if (filter.isLoggable(record)) {
                written.add(record);
            }
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(ClientErrorLog.INTERVAL_SECONDS));
        for (int i = 0; i < 500; i++) {
            LogRecord record = record(JERSEY, brokenConnection());
            if (filter.isLoggable(record)) {
                written.add(record);
            }
        }
        assertEquals(2, written.size());
        for (LogRecord line : written) {
            assertNull(line.getThrown(), "no stack trace");
            assertEquals(Level.INFO, line.getLevel());
            assertFalse(line.getMessage().contains("\n"), line.getMessage());
            assertTrue(line.getMessage().contains("Connection is closed"), line.getMessage());
        }
        assertTrue(written.get(0).getMessage().contains(": 1 since"), written.get(0).getMessage());
        assertTrue(written.get(1).getMessage().contains(": 1,000 since"), written.get(1).getMessage());
    }

    @Test
    void whatGrizzlyThrowsWhileParsingARequestIsAClientError() {
        ArrayIndexOutOfBoundsException parsing = new ArrayIndexOutOfBoundsException("Index 8192 out of bounds");
        parsing.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.glassfish.grizzly.http.util.UDecoder", "convert", "UDecoder.java", 120)});
        assertTrue(ClientErrorLog.causedByClient(record("org.glassfish.grizzly.http.server.HttpServerFilter", parsing)));
    }

    @Test
    void whatGrizzlysHttpCodecLogsWithoutAnExceptionIsAClientErrorToo() {
        LogRecord record = record("org.glassfish.grizzly.http.HttpServerFilter", null);
        record.setMessage("Can't use both headers Content-Length and Transfer-Encoding from the same request");
        assertTrue(ClientErrorLog.causedByClient(record));
        assertTrue(new ClientErrorLog(null, counter).isLoggable(record), "the first becomes the line");
        assertTrue(record.getMessage().contains("Content-Length and Transfer-Encoding"), record.getMessage());
    }

    @Test
    void aClientsBytesAreQuotedAsOneShortLineOfPrintableAscii() {
        assertEquals("Unknown protocol ??0?? x", ClientErrorLog.printable("Unknown protocol \u00c9\r0\n\u00ff x"));
        String quoted = ClientErrorLog.printable("y".repeat(10_000));
        assertTrue(quoted.length() < 200 && quoted.endsWith("..."), quoted);
    }

    @Test
    void ourOwnRecordsAndServerFaultsAreLeftToTheFilterBefore() {
        List<LogRecord> judged = new ArrayList<>();
        ClientErrorLog filter = new ClientErrorLog(record -> judged.add(record), counter);
        LogRecord ours = record("io.pushcluster.engine.push.Pushes", brokenConnection());
        LogRecord serverFault = record(JERSEY, new IllegalStateException("a bug"));
        LogRecord noException = record(JERSEY, null);
        assertTrue(filter.isLoggable(ours));
        assertTrue(filter.isLoggable(serverFault));
        assertTrue(filter.isLoggable(noException));
        assertEquals(List.of(ours, serverFault, noException), judged);
        assertTrue(ours.getThrown() != null && serverFault.getThrown() != null, "left as they were");
    }

    @Test
    void aRecordPublishedToSeveralHandlersIsCountedOnce() {
        Handler console = new CollectingHandler();
        Handler file = new CollectingHandler();
        console.setFilter(new ClientErrorLog(null, counter));
        file.setFilter(new ClientErrorLog(null, counter));
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.addHandler(console);
        logger.addHandler(file);
        LogRecord first = record(JERSEY, brokenConnection());
        console.publish(first);
        file.publish(first);
        now.addAndGet(TimeUnit.SECONDS.toNanos(ClientErrorLog.INTERVAL_SECONDS));
        LogRecord second = record(JERSEY, brokenConnection());
        console.publish(second);
        file.publish(second);
        assertEquals(2, ((CollectingHandler) console).records.size());
        assertEquals(2, ((CollectingHandler) file).records.size());
        assertTrue(second.getMessage().contains(": 1 since"), "the second record alone since the first line: "
                + second.getMessage());
    }

    private static final class CollectingHandler extends Handler {

        final List<LogRecord> records = new ArrayList<>();

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
