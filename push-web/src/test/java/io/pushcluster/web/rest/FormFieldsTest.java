package io.pushcluster.web.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.config.PushSettings;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FormFieldsTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final PushSettings DEFAULTS = new PushSettings(name -> Optional.empty());

    private static Map<String, String> read(String body) {
        return FormFields.of(FORM, new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)), DEFAULTS);
    }

    /** The most keys one change takes, each as long as a key may be and every character percent-encoded. */
    @Test
    void aChangeOfTheMostKeysOfTheLongestKindFits() {
        String key = "é".repeat(DEFAULTS.keyMaxLength() / 2);
        String keys = IntStream.range(0, DEFAULTS.multiMaxKeys()).mapToObj(i -> key)
                .collect(Collectors.joining(","));
        String body = "g=" + "x".repeat(DEFAULTS.groupNameMaxLength()) + "&k=" + URLEncoder.encode(keys, StandardCharsets.UTF_8);
        assertEquals(keys, read(body).get("k"));
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        String body = "k=" + "a".repeat(FormFields.maxBytes(DEFAULTS) + 1);
        assertThrows(InvalidParameterException.class, () -> read(body));
    }

    @Test
    void anotherContentTypeHasNoFields() {
        assertEquals(Map.of(), FormFields.of("application/json", new ByteArrayInputStream(new byte[] {'{', '}'}), DEFAULTS));
    }
}
