package io.pushcluster.engine.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushedMessageTest {

    @Test
    void versionedFormCarriesTheMessageRaw() {
        PushedMessage message = new PushedMessage(123, PushedMessage.PRIVATE, "{\"a\":1}");
        assertEquals("{\"msg\":{\"a\":1},\"mid\":123,\"gid\":0}", message.versionedForm());
    }

    @Test
    void legacyFormCarriesTheMessageAsAString() {
        PushedMessage message = new PushedMessage(123, PushedMessage.PRIVATE, "{\"a\":1}");
        assertEquals("{\"msg\":\"{\\\"a\\\":1}\",\"mid\":123,\"gid\":0}", message.legacyForm());
    }

    @Test
    void legacyFormEscapesHtmlCharactersAsGopushClustersGoEncoderDoes() {
        PushedMessage message = new PushedMessage(5, PushedMessage.PRIVATE, "{\"h\":\"<b>&</b>\"}");
        assertEquals("{\"msg\":\"{\\\"h\\\":\\\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\\\"}\",\"mid\":5,\"gid\":0}",
                message.legacyForm());
        assertEquals("{\"msg\":{\"h\":\"<b>&</b>\"},\"mid\":5,\"gid\":0}", message.versionedForm(),
                "the versioned form passes the message through untouched");
    }

    @Test
    void privateGidIsZero() {
        assertEquals(0, PushedMessage.PRIVATE);
    }

    @Test
    void accessorsReturnWhatWasGiven() {
        PushedMessage message = new PushedMessage(77, 1, "[1]");
        assertEquals(77, message.mid());
        assertEquals(1, message.gid());
        assertEquals("[1]", message.json());
        assertEquals("{\"msg\":[1],\"mid\":77,\"gid\":1}", message.versionedForm());
    }

    @Test
    void formChoosesByClientVersion() {
        PushedMessage message = new PushedMessage(5, 0, "\"hi\"");
        assertEquals(message.versionedForm(), message.form(true));
        assertEquals(message.legacyForm(), message.form(false));
        assertEquals("{\"msg\":\"hi\",\"mid\":5,\"gid\":0}", message.form(true));
        assertEquals("{\"msg\":\"\\\"hi\\\"\",\"mid\":5,\"gid\":0}", message.form(false));
    }

    @Test
    void formsAreBuiltOnce() {
        PushedMessage message = new PushedMessage(5, 0, "{}");
        assertSame(message.versionedForm(), message.versionedForm());
        assertSame(message.legacyForm(), message.legacyForm());
    }

    @Test
    void largestExactMidIsWrittenExactly() {
        long mid = (1L << 53) - 1;
        PushedMessage message = new PushedMessage(mid, 0, "1");
        JsonObject parsed = parse(message.versionedForm());
        assertEquals(mid, parsed.getJsonNumber("mid").longValueExact());
        assertTrue(message.legacyForm().contains("\"mid\":9007199254740991,"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1}",
        "{\"text\":\"line1\\nline2 \\\"q\\\" \\\\ \\u2028 é 日本 😀\",\"n\":[1,2.5,-3e4,null,true,false]}",
        "[]",
        "[{\"x\":{}}]",
        "\"just a string\"",
        "\"\"",
        "42",
        "-0.5",
        "true",
        "null",
        "  {\"spaced\" : 1 }  ",
        "{\"raw\":\"\u2028\u2029\"}",
    })
    void bothFormsAreValidJsonThatRoundTripTheMessage(String json) {
        long mid = 1_700_000_000_123_456L;
        PushedMessage message = new PushedMessage(mid, PushedMessage.PRIVATE, json);

        JsonObject versioned = parse(message.versionedForm());
        assertEquals(Set.of("msg", "mid", "gid"), versioned.keySet());
        assertEquals(parseValue(json), versioned.get("msg"));
        assertEquals(mid, versioned.getJsonNumber("mid").longValueExact());
        assertEquals(0, versioned.getInt("gid"));

        JsonObject legacy = parse(message.legacyForm());
        assertEquals(Set.of("msg", "mid", "gid"), legacy.keySet());
        assertEquals(JsonValue.ValueType.STRING, legacy.get("msg").getValueType());
        assertEquals(json, legacy.getString("msg"));
        assertEquals(mid, legacy.getJsonNumber("mid").longValueExact());
        assertEquals(0, legacy.getInt("gid"));
        assertTrue(JsonText.isValid(message.legacyForm()));
        assertTrue(JsonText.isValid(message.versionedForm()));
    }

    @Test
    void legacyFormHasNoRawLineSeparators() {
        PushedMessage message = new PushedMessage(1, 0, "{\"a\":\"\u2028\"}");
        assertTrue(message.legacyForm().indexOf('\u2028') < 0, message.legacyForm());
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static JsonValue parseValue(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
