package io.pushcluster.web.http;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.web.rest.Params;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One HTTP/1.x request as the HTTP listener reads it: the head parsed strictly and with limits, the
 * body whole (its length is known from Content-Length before any of it is kept). What cannot be read
 * safely is a {@link HttpRefusal} with the status to answer.
 */
final class HttpRequest {

    /** RFC 9112 section 2.3: a well-formed version; only such a version that is not 1.x gets 505. */
    private static final Pattern HTTP_VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");

    private static final int MAX_HEADERS = 64;
    private static final byte[] NO_BODY = new byte[0];

    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, String> headers;
    private final boolean keepAlive;
    private final boolean expectsContinue;
    private final int headLength;
    private final int contentLength;
    private byte[] body = NO_BODY;

    private HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
            boolean keepAlive, boolean expectsContinue, int headLength, int contentLength) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.keepAlive = keepAlive;
        this.expectsContinue = expectsContinue;
        this.headLength = headLength;
        this.contentLength = contentLength;
    }

    /**
     * The head at the start of {@code bytes[0..length)}, or null while it has not all arrived.
     *
     * @param maxHead the longest head accepted (431 beyond)
     * @param maxBody the largest body accepted (413 beyond)
     */
    static HttpRequest head(byte[] bytes, int length, int maxHead, int maxBody) throws HttpRefusal {
        int end = headEnd(bytes, Math.min(length, maxHead));
        if (end < 0) {
            if (length >= maxHead) {
                throw new HttpRefusal(431, "request head longer than " + maxHead + " bytes");
            }
            return null;
        }
        String text = new String(bytes, 0, end - 4, StandardCharsets.ISO_8859_1);
        int lineEnd = lineEnd(text, 0);
        String[] requestLine = text.substring(0, lineEnd).split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || !isToken(requestLine[0])
                || !requestLine[1].startsWith("/")) {
            throw new HttpRefusal(400, "malformed request line");
        }
        if (!HTTP_VERSION.matcher(requestLine[2]).matches()) {
            throw new HttpRefusal(400, "malformed HTTP version");
        }
        boolean http11 = requestLine[2].equals("HTTP/1.1");
        if (!http11 && !requestLine[2].equals("HTTP/1.0")) {
            throw new HttpRefusal(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        }
        Map<String, String> headers = new HashMap<>();
        int count = 0;
        for (int start = lineEnd + 2; start < text.length(); start = lineEnd + 2) {
            lineEnd = lineEnd(text, start);
            if (++count > MAX_HEADERS) {
                throw new HttpRefusal(431, "more than " + MAX_HEADERS + " header fields");
            }
            int colon = text.indexOf(':', start);
            if (colon <= start || colon > lineEnd || !isToken(text, start, colon)) {
                throw new HttpRefusal(400, "malformed header field");
            }
            String name = text.substring(start, colon).toLowerCase(Locale.ROOT);
            String value = text.substring(colon + 1, lineEnd).strip();
            String before = headers.putIfAbsent(name, value);
            if (before != null && (name.equals("content-length") || name.equals("host"))) {
                throw new HttpRefusal(400, "repeated " + name);
            }
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new HttpRefusal(411, "send the body with Content-Length; no transfer coding is accepted");
        }
        int contentLength = contentLength(headers.get("content-length"), maxBody);
        String expect = headers.get("expect");
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            throw new HttpRefusal(417, "only Expect: 100-continue is understood");
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = http11 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        String target = requestLine[1];
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        Map<String, String> query = question < 0 ? Map.of() : parseQuery(target.substring(question + 1));
        return new HttpRequest(requestLine[0], path, query, Collections.unmodifiableMap(headers), keepAlive,
                http11 && expect != null, end, contentLength);
    }

    /** The index just past the blank line that ends the head, or -1. */
    private static int headEnd(byte[] bytes, int length) {
        for (int i = 3; i < length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int contentLength(String value, int maxBody) throws HttpRefusal {
        if (value == null) {
            return 0;
        }
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpRefusal(400, "malformed Content-Length");
        }
        String digits = value.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 10 || Long.parseLong(digits) > maxBody) {
            throw new HttpRefusal(413, "body larger than " + maxBody + " bytes");
        }
        return Integer.parseInt(digits);
    }

    /** Query parameters, URL-decoded as form fields are; the first of repeated names wins, as in JAX-RS. */
    private static Map<String, String> parseQuery(String text) throws HttpRefusal {
        try {
            return Collections.unmodifiableMap(Params.form(text));
        } catch (InvalidParameterException e) {
            throw new HttpRefusal(400, "malformed query");
        }
    }

    /** Where the line starting at {@code from} ends: its CR, or the end of the head. */
    private static int lineEnd(String text, int from) {
        int end = text.indexOf("\r\n", from);
        return end < 0 ? text.length() : end;
    }

    private static boolean isToken(String text) {
        return isToken(text, 0, text.length());
    }

    private static boolean isToken(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!token) {
                return false;
            }
        }
        return to > from;
    }

    private static boolean hasToken(String list, String token) {
        for (String part : list.split(",")) {
            if (part.strip().equals(token)) {
                return true;
            }
        }
        return false;
    }

    /** Head and body together, in bytes. */
    int length() {
        return headLength + contentLength;
    }

    int headLength() {
        return headLength;
    }

    /** Takes the body from {@code bytes}, which hold at least {@link #length} bytes. */
    void body(byte[] bytes) {
        if (contentLength > 0) {
            body = new byte[contentLength];
            System.arraycopy(bytes, headLength, body, 0, contentLength);
        }
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    /** A query parameter, URL-decoded, or null. */
    String query(String name) {
        return query.get(name);
    }

    Map<String, String> query() {
        return query;
    }

    /** A header's first value, by its name in lower case, or null. */
    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    boolean keepAlive() {
        return keepAlive;
    }

    boolean expectsContinue() {
        return expectsContinue;
    }

    InputStream body() {
        return new ByteArrayInputStream(body);
    }
}
