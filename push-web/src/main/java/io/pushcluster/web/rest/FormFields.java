package io.pushcluster.web.rest;

import io.pushcluster.engine.config.PushSettings;
import java.io.InputStream;
import java.util.Map;

/** The fields of a small form-encoded admin request body; empty for any other content type. */
final class FormFields {

    /** Room for the fields other than the keys (a group name, a token, an expiry). */
    private static final int OTHER_FIELDS_BYTES = 8192;

    private FormFields() {
    }

    /**
     * The fields of the body. Longer bodies than a change of the most keys allowed, every byte of them
     * percent-encoded, and the other fields, are refused (65534).
     */
    static Map<String, String> of(String contentType, InputStream body, PushSettings settings) {
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        return Params.form(Params.body(body, maxBytes(settings)));
    }

    static int maxBytes(PushSettings settings) {
        return settings.multiMaxKeys() * 3 * (settings.keyMaxLength() + 1) + OTHER_FIELDS_BYTES;
    }
}
