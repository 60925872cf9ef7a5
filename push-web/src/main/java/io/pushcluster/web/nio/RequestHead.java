package io.pushcluster.web.nio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An HTTP/1.x request head as the listeners of our own read it (RFC 9112), strictly: one request line
 * of three parts, a token for a method, visible ASCII for a target, {@code HTTP/d.d} for a version,
 * then header fields of a token name, a colon and a value without control characters, at most
 * {@value #MAX_FIELDS} of them. The HTTP listener and the WebSocket listener's upgrade both parse
 * their heads here and add only their own rules.
 */
public final class RequestHead {

    /** Header fields a head may carry. */
    public static final int MAX_FIELDS = 64;

    private static final Pattern HTTP_VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");

    /** A head that is not HTTP/1.x: the status to answer (400, or 431 for too many fields) and why. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Malformed(int status, String why) {
            super(why, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final String method;
    private final String target;
    private final String version;
    private final Map<String, List<String>> fields;

    private RequestHead(String method, String target, String version, Map<String, List<String>> fields) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.fields = fields;
    }

    /**
     * Where the blank line that ends a head ends: the index just past it, or -1 when
     * {@code bytes[0..length)} hold none.
     *
     * @param from how many bytes were searched before (a head arriving in pieces)
     */
    public static int end(byte[] bytes, int from, int length) {
        for (int i = Math.max(from, 3); i < length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Parses the head in {@code bytes[0..end)}, {@code end} as {@link #end} found it.
     *
     * @throws Malformed when it is not a well-formed HTTP/1.x head
     */
    public static RequestHead parse(byte[] bytes, int end) throws Malformed {
        String text = new String(bytes, 0, end - 4, StandardCharsets.ISO_8859_1);
        int lineEnd = lineEnd(text, 0);
        String[] requestLine = text.substring(0, lineEnd).split(" ", -1);
        if (requestLine.length != 3 || !isToken(requestLine[0], 0, requestLine[0].length())
                || !isVisible(requestLine[1])) {
            throw new Malformed(400, "malformed request line");
        }
        if (!HTTP_VERSION.matcher(requestLine[2]).matches()) {
            throw new Malformed(400, "malformed HTTP version");
        }
        Map<String, List<String>> fields = new HashMap<>();
        int count = 0;
        for (int start = lineEnd + 2; start < text.length(); start = lineEnd + 2) {
            lineEnd = lineEnd(text, start);
            if (++count > MAX_FIELDS) {
                throw new Malformed(431, "more than " + MAX_FIELDS + " header fields");
            }
            int colon = text.indexOf(':', start);
            if (colon <= start || colon > lineEnd || !isToken(text, start, colon)) {
                throw new Malformed(400, "malformed header field");
            }
            String value = withoutOptionalWhiteSpace(text.substring(colon + 1, lineEnd));
            if (!isFieldValue(value)) {
                throw new Malformed(400, "control characters in a header field");
            }
            fields.computeIfAbsent(text.substring(start, colon).toLowerCase(Locale.ROOT), name -> new ArrayList<>(1))
                    .add(value);
        }
        return new RequestHead(requestLine[0], requestLine[1], requestLine[2], fields);
    }

    public String method() {
        return method;
    }

    /** The request target as sent: path and query. */
    public String target() {
        return target;
    }

    /** {@code HTTP/d.d}. */
    public String version() {
        return version;
    }

    /** The target's path: before any {@code ?}. */
    public String path() {
        int question = target.indexOf('?');
        return question < 0 ? target : target.substring(0, question);
    }

    /** The target's raw query: after the first {@code ?}; empty when there is none. */
    public String query() {
        int question = target.indexOf('?');
        return question < 0 ? "" : target.substring(question + 1);
    }

    /** Every value of a header field, by its name in lower case, in order; empty when it is absent. */
    public List<String> values(String lowerCaseName) {
        return fields.getOrDefault(lowerCaseName, List.of());
    }

    /** The first value of a header field, by its name in lower case, or null. */
    public String first(String lowerCaseName) {
        List<String> values = fields.get(lowerCaseName);
        return values == null ? null : values.get(0);
    }

    /** Whether a comma-separated header value holds the token, in any case. */
    public static boolean hasToken(String value, String token) {
        if (value == null) {
            return false;
        }
        for (String item : value.split(",")) {
            if (withoutOptionalWhiteSpace(item).equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static int lineEnd(String text, int from) {
        int end = text.indexOf("\r\n", from);
        return end < 0 ? text.length() : end;
    }

    /** RFC 9110 token: a method or header name. */
    private static boolean isToken(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean alphanumeric = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return to > from;
    }

    /** A request target: visible ASCII only. */
    private static boolean isVisible(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }

    /** No control characters but tab. */
    private static boolean isFieldValue(String text) {
        return text.chars().allMatch(c -> c == '\t' || c >= 0x20 && c != 0x7F);
    }

    private static String withoutOptionalWhiteSpace(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
            to--;
        }
        return text.substring(from, to);
    }
}
