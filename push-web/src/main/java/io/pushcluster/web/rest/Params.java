package io.pushcluster.web.rest;

import io.pushcluster.api.InvalidParameterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Parsing of request parameters and bodies, each bounded so that no request can grow memory. */
public final class Params {

    private Params() {
    }

    /** A required unsigned decimal number. */
    static long unsigned(String value, String name) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            throw new InvalidParameterException(name + " must be an unsigned number");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new InvalidParameterException(name + " must be an unsigned number");
            }
        }
        return Long.parseLong(value);
    }

    /** A required, non-empty value. */
    static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new InvalidParameterException("missing " + name);
        }
        return value;
    }

    /** The body as UTF-8 text; more than {@code maxBytes} is a parameter error. */
    static String body(InputStream in, int maxBytes) {
        byte[] bytes;
        try (in) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > maxBytes) {
            throw new InvalidParameterException("body larger than " + maxBytes + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The fields of {@code application/x-www-form-urlencoded} text (a form body or a query string),
     * URL-decoded; the first of repeated names wins.
     */
    public static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("malformed form body");
            }
        }
        return fields;
    }
}
