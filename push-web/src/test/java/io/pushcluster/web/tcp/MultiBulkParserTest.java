package io.pushcluster.web.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiBulkParserTest {

    private static final int MAX_BYTES = 16;
    private static final String SUB = "*3\r\n$3\r\nsub\r\n$9\r\nTerry-Mao\r\n$2\r\n30\r\n";

    private static MultiBulkParser parser() {
        return new MultiBulkParser(3, 5, MAX_BYTES);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> parseWhole(String text) throws MalformedCommandException {
        return parser().feed(bytes(text));
    }

    @Test
    void theProtocolExampleInOnePiece() throws MalformedCommandException {
        assertEquals(List.of("sub", "Terry-Mao", "30"), parseWhole(SUB));
    }

    @Test
    void everySplitOfTheCommandGivesTheSameArguments() throws MalformedCommandException {
        byte[] command = "*5\r\n$3\r\nsub\r\n$1\r\nk\r\n$2\r\n30\r\n$0\r\n\r\n$2\r\nv1\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (int chunk = 1; chunk <= command.length; chunk++) {
            MultiBulkParser parser = parser();
            List<String> result = null;
            for (int at = 0; at < command.length; at += chunk) {
                assertNull(result, "complete before its last byte, chunk " + chunk);
                result = parser.feed(ByteBuffer.wrap(command, at, Math.min(chunk, command.length - at)));
            }
            assertEquals(List.of("sub", "k", "30", "", "v1"), result, "chunk " + chunk);
        }
    }

    @Test
    void byteByByteItAnswersNullUntilTheLastByte() throws MalformedCommandException {
        MultiBulkParser parser = parser();
        byte[] command = SUB.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < command.length - 1; i++) {
            assertNull(parser.feed(ByteBuffer.wrap(command, i, 1)));
        }
        assertEquals(List.of("sub", "Terry-Mao", "30"), parser.feed(ByteBuffer.wrap(command, command.length - 1, 1)));
    }

    @Test
    void bytesAfterTheCommandStayInTheInput() throws MalformedCommandException {
        ByteBuffer input = bytes(SUB + "hh");
        assertEquals(3, parser().feed(input).size());
        assertEquals(2, input.remaining());
        assertEquals('h', input.get());
    }

    @Test
    void argumentsAreUtf8AndMayBeEmptyOrBinarySafe() throws MalformedCommandException {
        assertEquals(List.of("sub", "ключ", "30", "\r\n*$"),
                parseWhole("*4\r\n$3\r\nsub\r\n$8\r\nключ\r\n$2\r\n30\r\n$4\r\n\r\n*$\r\n"));
        assertEquals(List.of("", "", ""), parseWhole("*3\r\n$0\r\n\r\n$0\r\n\r\n$0\r\n\r\n"));
    }

    @Test
    void anArgumentOfExactlyTheLimitIsAccepted() throws MalformedCommandException {
        String max = "k".repeat(MAX_BYTES);
        assertEquals(max, parseWhole("*3\r\n$3\r\nsub\r\n$16\r\n" + max + "\r\n$2\r\n30\r\n").get(1));
    }

    @Test
    void aCompleteParserRefusesMore() throws MalformedCommandException {
        MultiBulkParser parser = parser();
        parser.feed(bytes(SUB));
        assertThrows(IllegalStateException.class, () -> parser.feed(bytes("h")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*0\r\n", "*1\r\n", "*2\r\n", "*6\r\n", "*-1\r\n", "*-3\r\n", "*999999999\r\n"})
    void countsOutOfRangeAreWrongArgumentCounts(String command) {
        MalformedCommandException e = assertThrows(MalformedCommandException.class, () -> parseWhole(command));
        assertTrue(e.wrongArgumentCount(), command);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "$3\r\nsub\r\n", // no count
        "+OK\r\n",
        "sub key 30\r\n", // inline command
        "*\r\n", // empty count
        "*x\r\n",
        "*3x\r\n",
        "*--3\r\n",
        "*3-\r\n",
        "*-\r\n",
        "*+3\r\n",
        "* 3\r\n",
        "*1234567890\r\n", // count too long to be a count
        "*3\n$3\r\nsub\r\n", // LF without CR
        "*3\r\r\n",
        "*3\r\nsub\r\n", // argument without its length
        "*3\r\n:3\r\n",
        "*3\r\n$\r\n",
        "*3\r\n$-1\r\n", // negative (null) length
        "*3\r\n$-3\r\nsub\r\n",
        "*3\r\n$+3\r\n",
        "*3\r\n$3x\r\n",
        "*3\r\n$ 3\r\n",
        "*3\r\n$3\n",
        "*3\r\n$3\r\r",
        "*3\r\n$17\r\n", // over the limit
        "*3\r\n$99999999999999999999999\r\n",
        "*3\r\n$3\r\nsubs\r\n", // data longer than announced
        "*3\r\n$3\r\nsub\n\n",
        "*3\r\n$3\r\nsub\r\r",
        "*3\r\n$3\r\nsub$3\r\n",
        "*3\r\n$3\r\nsub\r\n$2\r\n\u00ff\u00fe\r\n", // the bytes FF FE: not UTF-8
        "\u0000\u0001\u0002",
    })
    void framingErrorsAreReported(String command) {
        byte[] raw = command.getBytes(StandardCharsets.ISO_8859_1);
        MalformedCommandException e = assertThrows(MalformedCommandException.class,
                () -> parser().feed(ByteBuffer.wrap(raw)), command);
        assertFalse(e.wrongArgumentCount(), command);
    }

    @Test
    void anOversizedLengthIsRejectedBeforeItsLineEnds() {
        assertThrows(MalformedCommandException.class, () -> parseWhole("*3\r\n$17"));
        assertThrows(MalformedCommandException.class, () -> parseWhole("*3\r\n$1000000"));
    }

    @Test
    void aBadByteIsRejectedAsSoonAsItArrives() throws MalformedCommandException {
        MultiBulkParser parser = parser();
        assertNull(parser.feed(bytes("*3\r\n$3\r\nsub\r\n$9\r\nTerry")));
        assertNull(parser.feed(bytes("-Mao")));
        assertThrows(MalformedCommandException.class, () -> parser.feed(bytes("X")));
    }

    @Test
    void nothingIsCompleteBeforeTheFinalLineFeed() throws MalformedCommandException {
        assertNull(parseWhole(SUB.substring(0, SUB.length() - 1)));
        assertNull(parseWhole("*3\r\n"));
        assertNull(parseWhole(""));
    }
}
