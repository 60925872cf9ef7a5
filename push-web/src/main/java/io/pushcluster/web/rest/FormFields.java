package io.pushcluster.web.rest;

import java.io.InputStream;
import java.util.Map;

/** The fields of a small form-encoded admin request body; empty for any other content type. */
final class FormFields {

    private static final int MAX_FORM_BYTES = 8192;

    private FormFields() {
    }

    static Map<String, String> of(String contentType, InputStream body) {
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        return Params.form(Params.body(body, MAX_FORM_BYTES));
    }
}
