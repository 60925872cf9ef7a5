package io.pushcluster.web.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.InvalidParameterException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {

    // --- unsigned ---

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1, 1",
        "42, 42",
        "0042, 42",
        "1700000000000000, 1700000000000000",
        "9007199254740991, 9007199254740991",
        "999999999999999999, 999999999999999999",
    })
    void unsignedParsesDecimalNumbers(String value, long expected) {
        assertEquals(expected, Params.unsigned(value, "mid"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "-1",
        "-0",
        "+1",
        "1.5",
        "1e3",
        "0x10",
        "abc",
        "12a",
        " 1",
        "1 ",
        "١٢",
        "1000000000000000000",
        "9223372036854775807",
        "99999999999999999999999",
    })
    void unsignedRejectsEverythingElseNamingTheParameter(String value) {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> Params.unsigned(value, "expire"));
        assertTrue(e.getMessage().contains("expire"), e.getMessage());
    }

    // --- required ---

    @Test
    void requiredReturnsTheValue() {
        assertEquals("k1", Params.required("k1", "key"));
        assertEquals(" ", Params.required(" ", "key"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void requiredRejectsMissingValuesNamingTheParameter(String value) {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> Params.required(value, "key"));
        assertTrue(e.getMessage().contains("key"), e.getMessage());
    }

    // --- body ---

    private static InputStream bytes(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        return new ByteArrayInputStream(data);
    }

    @Test
    void bodyReadsUtf8Text() {
        String text = "{\"msg\":\"é 日本語 😀\"}";
        assertEquals(text, Params.body(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1024));
    }

    @Test
    void emptyBodyIsEmptyText() {
        assertEquals("", Params.body(new ByteArrayInputStream(new byte[0]), 10));
    }

    @Test
    void bodyOfExactlyTheMaximumIsAccepted() {
        assertEquals(100, Params.body(bytes(100), 100).length());
        assertEquals(32 * 1024, Params.body(bytes(32 * 1024), 32 * 1024).length());
        assertEquals(8192, Params.body(bytes(8192), 8192).length());
        assertEquals(20_000, Params.body(bytes(20_000), 20_000).length());
    }

    @Test
    void bodyOneByteOverTheMaximumIsAParameterError() {
        assertThrows(InvalidParameterException.class, () -> Params.body(bytes(101), 100));
        assertThrows(InvalidParameterException.class, () -> Params.body(bytes(32 * 1024 + 1), 32 * 1024));
        assertThrows(InvalidParameterException.class, () -> Params.body(bytes(8193), 8192));
        assertThrows(InvalidParameterException.class, () -> Params.body(bytes(20_001), 20_000));
    }

    @Test
    void bodyLimitCountsBytesNotCharacters() {
        String text = "é".repeat(60); // 120 bytes in UTF-8
        assertThrows(InvalidParameterException.class,
                () -> Params.body(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 100));
        assertEquals(text, Params.body(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 120));
    }

    @Test
    void bodyLimitHoldsWhenTheStreamDeliversByteByByte() {
        assertEquals(10, Params.body(trickle(10), 10).length());
        assertThrows(InvalidParameterException.class, () -> Params.body(trickle(11), 10));
    }

    @Test
    void aBodyFromAStreamThatDoesNotSayItsLengthIsReadWholeAcrossTheBufferGrowing() {
        for (int n : new int[] {0, 1, 511, 512, 513, 1023, 1024, 1025, 20_000, 32 * 1024}) {
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                data[i] = (byte) ('a' + i % 26);
            }
            // a stream that says nothing is available and hands out at most 100 bytes per read
            InputStream silent = new ByteArrayInputStream(data) {
                @Override
                public synchronized int available() {
                    return 0;
                }

                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, 100));
                }
            };
            assertEquals(new String(data, StandardCharsets.US_ASCII), Params.body(silent, 32 * 1024), "length " + n);
        }
        assertThrows(InvalidParameterException.class, () -> Params.body(trickle(32 * 1024 + 1), 32 * 1024));
    }

    @Test
    void anEndlessBodyIsRefusedWithoutReadingItAll() {
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                served.addAndGet(len);
                return len;
            }
        };
        assertThrows(InvalidParameterException.class, () -> Params.body(endless, 1000));
        assertTrue(served.get() < 1_000_000, "read " + served.get() + " bytes of an endless body");
    }

    @Test
    void bodyClosesTheStream() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        Params.body(in, 10);
        assertTrue(closed.get());
    }

    private static InputStream trickle(int n) {
        return new InputStream() {
            private int left = n;

            @Override
            public int read() {
                return left-- > 0 ? 'y' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                left--;
                b[off] = 'y';
                return 1;
            }
        };
    }

    // --- form ---

    @Test
    void formDecodesFields() {
        Map<String, String> fields = Params.form("key=Terry-Mao&token=a%20b+c&x=%C3%A9%E6%97%A5");
        assertEquals("Terry-Mao", fields.get("key"));
        assertEquals("a b c", fields.get("token"));
        assertEquals("é日", fields.get("x"));
        assertEquals(3, fields.size());
    }

    @Test
    void formDecodesNamesToo() {
        assertEquals("v", Params.form("a%20b=v").get("a b"));
    }

    @Test
    void firstValueWins() {
        Map<String, String> fields = Params.form("key=first&key=second&key=third");
        assertEquals("first", fields.get("key"));
        assertEquals(1, fields.size());
    }

    @Test
    void aFieldWithoutValueIsEmpty() {
        Map<String, String> fields = Params.form("flag&key=");
        assertEquals("", fields.get("flag"));
        assertEquals("", fields.get("key"));
    }

    @Test
    void onlyTheFirstEqualsSignSeparates() {
        assertEquals("b=c", Params.form("a=b=c").get("a"));
        assertEquals("x=y&z", Params.form("m=x%3Dy%26z").get("m"));
    }

    @Test
    void emptyPairsAreSkipped() {
        assertEquals(Map.of("a", "1"), Params.form("&&a=1&"));
        assertEquals(Map.of(), Params.form(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"key=%zz", "key=%", "key=%4", "key=abc%", "%G0=v", "a=1&b=%x1", "k=%%"})
    void malformedPercentEncodingIsAParameterError(String body) {
        assertThrows(InvalidParameterException.class, () -> Params.form(body));
    }
}
