package io.pushcluster.web.rest;

import io.pushcluster.api.InvalidParameterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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

    /** Bytes a body's buffer starts with when the stream does not say how many are coming. */
    private static final int FIRST_BUFFER = 512;

    /**
     * The body as UTF-8 text; more than {@code maxBytes} is a parameter error. The buffer starts at
     * what the stream says is available (a body already read, as the HTTP listener's) or 512 bytes
     * and doubles up to the limit, so a push's small body costs no more memory than itself: reading
     * up to the limit at once ({@code readNBytes}) allocated 8 KB per request, most of the server's
     * garbage on pushes.
     */
    static String body(InputStream in, int maxBytes) {
        int limit = maxBytes + 1;
        byte[] buffer;
        int length = 0;
        try (in) {
            // one byte more than announced, so that the end shows without the buffer growing
            buffer = new byte[(int) Math.min(limit, Math.max(in.available() + 1L, FIRST_BUFFER))];
            while (true) {
                if (length == buffer.length) {
                    if (length == limit) {
                        break;
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * length));
                }
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (length > maxBytes) {
            throw new InvalidParameterException("body larger than " + maxBytes + " bytes");
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * The fields of {@code application/x-www-form-urlencoded} text (a form body or a query string),
     * URL-decoded; the first of repeated names wins.
     */
    /** A required list of {@code v1,v2,...}; empty items are kept, for the caller to refuse. */
    static List<String> commaList(String value, String name) {
        return Arrays.asList(required(value, name).split(",", -1));
    }

    public static List<String> formValues(String body, String wanted) {
        List<String> values = new ArrayList<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            try {
                if (!pair.isEmpty() && URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8)
                        .equals(wanted)) {
                    values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("malformed form body");
            }
        }
        return values;
    }

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
