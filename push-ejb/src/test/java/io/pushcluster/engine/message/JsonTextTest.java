package io.pushcluster.engine.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "[]",
        "{\"a\":1}",
        "{\"a\":[1,2,{\"b\":null,\"c\":true,\"d\":false}],\"e\":\"x\"}",
        "[[[]]]",
        "[1,\"two\",3.5,null]",
        "\"text\"",
        "\"\"",
        "\"with \\\"escapes\\\" \\\\ \\n \\u00e9 \\u2028\"",
        "0",
        "-1",
        "3.25",
        "-1.5e10",
        "1E-3",
        "123456789012345678901234567890",
        "true",
        "false",
        "null",
        " {\"a\":1} ",
        "\n\t\r {\"a\" : [ 1 , 2 ] }\r\n\t ",
        "  42  ",
        "{\"unicode\":\"日本語 é 😀\"}",
    })
    void acceptsOneJsonValue(String text) {
        assertTrue(JsonText.isValid(text), () -> "should be valid: " + text);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "",
        " ",
        "\n\t",
        "{} {}",
        "{}{}",
        "[] []",
        "{}x",
        "{} x",
        "[1]]",
        "{}}",
        "1 2",
        "true false",
        "\"a\" \"b\"",
        "{\"a\":",
        "{\"a\"",
        "{\"a\":1",
        "{\"a\":1,",
        "[1,2",
        "[",
        "{",
        "\"unterminated",
        "hello",
        "hello world",
        "tru",
        "nul",
        "True",
        "NaN",
        "{a:1}",
        "{'a':1}",
        "'a'",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "[1,]",
        "]",
        "}",
        ",",
        "-",
        "+1",
        "0x10",
    })
    void rejectsAnythingElse(String text) {
        assertFalse(JsonText.isValid(text), () -> "should be invalid: " + text);
    }

    @Test
    void quotesPlainTextUnchanged() {
        assertEquals("\"hello\"", JsonText.quote("hello"));
        assertEquals("\"\"", JsonText.quote(""));
        assertEquals("\"a/b\"", JsonText.quote("a/b"));
    }

    @Test
    void escapesQuotesAndBackslashes() {
        assertEquals("\"a\\\"b\"", JsonText.quote("a\"b"));
        assertEquals("\"a\\\\b\"", JsonText.quote("a\\b"));
        assertEquals("\"\\\\\\\"\"", JsonText.quote("\\\""));
    }

    @Test
    void escapesNamedControlCharacters() {
        assertEquals("\"\\n\\r\\t\\b\\f\"", JsonText.quote("\n\r\t\b\f"));
    }

    @Test
    void escapesOtherControlCharactersAsUnicode() {
        assertEquals("\"\\u0000\"", JsonText.quote("\u0000"));
        assertEquals("\"\\u0001\"", JsonText.quote("\u0001"));
        assertEquals("\"\\u001f\"", JsonText.quote("\u001f"));
        assertEquals("\"a\\u000bb\"", JsonText.quote("a\u000bb"));
    }

    @Test
    void escapesLineAndParagraphSeparatorsForJavaScript() {
        assertEquals("\"\\u2028\"", JsonText.quote("\u2028"));
        assertEquals("\"\\u2029\"", JsonText.quote("\u2029"));
    }

    @Test
    void keepsNonAsciiCharactersAsTheyAre() {
        assertEquals("\"é日本😀\u007f\"", JsonText.quote("é日本😀\u007f"));
    }

    @Test
    void quotesJsonAsAString() {
        assertEquals("\"{\\\"a\\\":[1,\\\"x\\\"]}\"", JsonText.quote("{\"a\":[1,\"x\"]}"));
    }

    @Test
    void appendQuotedAppendsToWhatIsThereAndReturnsTheSameBuilder() {
        StringBuilder out = new StringBuilder("x=");
        StringBuilder returned = JsonText.appendQuoted(out, "a\"b");
        assertSame(out, returned);
        assertEquals("x=\"a\\\"b\"", out.toString());
    }

    @Test
    void everyCharacterRoundTripsThroughAJsonParser() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\ud83d\ude00 日本語 \"quoted\" \\back\\slash\\");
        String text = all.toString();
        String quoted = JsonText.quote(text);
        assertTrue(JsonText.isValid(quoted));
        assertEquals(text, parseString(quoted));
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            assertTrue(c >= 0x20 && c != '\u2028' && c != '\u2029',
                    "raw control or separator character at " + i + " in " + quoted);
        }
    }

    @Test
    void quotedJsonRoundTrips() {
        String json = "{\"msg\":\"line1\\nline2\",\"list\":[1,2,3],\"u\":\"\\u2028\"}";
        assertEquals(json, parseString(JsonText.quote(json)));
    }

    private static String parseString(String quoted) {
        try (JsonReader reader = Json.createReader(new StringReader("[" + quoted + "]"))) {
            JsonArray array = reader.readArray();
            return array.getString(0);
        }
    }
}
