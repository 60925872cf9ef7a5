package io.pushcluster.engine.message;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/**
 * Small JSON helpers: validation and string quoting, and readers and builders from one provider.
 * {@code jakarta.json.Json.createXxx} looks the provider up again on every call (a class path search
 * under a lock): on the push path that was a third of the server's CPU, so the lookup happens once here.
 */
public final class JsonText {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());
    private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());

    private JsonText() {
    }

    /** A reader of the text. */
    public static JsonReader reader(String text) {
        return READERS.createReader(new StringReader(text));
    }

    public static JsonObjectBuilder objectBuilder() {
        return PROVIDER.createObjectBuilder();
    }

    /** Whether the text is exactly one JSON value (object, array, string, number, literal). */
    public static boolean isValid(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            int depth = 0;
            boolean seenValue = false;
            while (parser.hasNext()) {
                if (seenValue && depth == 0) {
                    return false;
                }
                switch (parser.next()) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> {
                        depth--;
                        if (depth == 0) {
                            seenValue = true;
                        }
                    }
                    default -> {
                        if (depth == 0) {
                            seenValue = true;
                        }
                    }
                }
            }
            return seenValue && depth == 0;
        } catch (RuntimeException e) {
            // JsonParsingException, or NoSuchElementException on truncated input
            return false;
        }
    }

    /** Appends the text as a quoted JSON string. */
    public static StringBuilder appendQuoted(StringBuilder out, String text) {
        return appendQuoted(out, text, false);
    }

    /**
     * Appends the text as a quoted JSON string the way Go's encoder writes it, as gopush-cluster's
     * legacy message forms have it: {@code <}, {@code >} and {@code &} as {@code \u003c},
     * {@code \u003e} and {@code \u0026}, so that the string can sit in an HTML page's script.
     */
    public static StringBuilder appendQuotedHtmlSafe(StringBuilder out, String text) {
        return appendQuoted(out, text, true);
    }

    private static StringBuilder appendQuoted(StringBuilder out, String text, boolean htmlSafe) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || htmlSafe && (c == '<' || c == '>' || c == '&')) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    public static String quote(String text) {
        return appendQuoted(new StringBuilder(text.length() + 2), text).toString();
    }

    public static String quoteHtmlSafe(String text) {
        return appendQuotedHtmlSafe(new StringBuilder(text.length() + 2), text).toString();
    }
}
