package io.pushcluster.load;

import java.util.Collection;
import java.util.Map;

/** Writes the result as JSON; a {@link Raw} value is JSON already (a server's stats reply). */
final class Json {

    record Raw(String json) {
    }

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.json().isBlank() ? "null" : raw.json().trim());
        } else if (value instanceof Number || value instanceof Boolean) {
            double d = value instanceof Number n ? n.doubleValue() : 0;
            out.append(Double.isFinite(d) ? value.toString() : "null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String comma = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(comma);
                string(String.valueOf(e.getKey()), out);
                out.append(':');
                write(e.getValue(), out);
                comma = ",";
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            String comma = "";
            for (Object o : list) {
                out.append(comma);
                write(o, out);
                comma = ",";
            }
            out.append(']');
        } else {
            string(value.toString(), out);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
