package io.pushcluster.engine.message;

import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;

/** Small JSON helpers that need no object model: validation and string quoting. */
public final class JsonText {

    private JsonText() {
    }

    /** Whether the text is exactly one JSON value (object, array, string, number, literal). */
    public static boolean isValid(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
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
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
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
}
