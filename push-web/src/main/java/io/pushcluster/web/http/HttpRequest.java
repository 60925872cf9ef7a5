package io.pushcluster.web.http;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.web.nio.RequestHead;
import io.pushcluster.web.rest.Params;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.x request as the HTTP listener reads it: the head parsed strictly ({@link RequestHead}) and with limits, the
 * body whole (its length is known from Content-Length before any of it is kept). What cannot be read
 * safely is a {@link HttpRefusal} with the status to answer.
 */
final class HttpRequest {

    /** Fields that may come once: a second one makes the request ambiguous. */
    private static final List<String> SINGLE_FIELDS = List.of("content-length", "host");
    private static final byte[] NO_BODY = new byte[0];

    private final RequestHead head;
    private final Map<String, String> query;
    private final boolean keepAlive;
    private final boolean expectsContinue;
    private final int headLength;
    private final int contentLength;
    private byte[] body = NO_BODY;

    private HttpRequest(RequestHead head, Map<String, String> query, boolean keepAlive, boolean expectsContinue,
            int headLength, int contentLength) {
        this.head = head;
        this.query = query;
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
        int end = RequestHead.end(bytes, 0, Math.min(length, maxHead));
        if (end < 0) {
            if (length >= maxHead) {
                throw new HttpRefusal(431, "request head longer than " + maxHead + " bytes");
            }
            return null;
        }
        RequestHead head;
        try {
            head = RequestHead.parse(bytes, end);
        } catch (RequestHead.Malformed e) {
            throw new HttpRefusal(e.status(), e.getMessage());
        }
        if (!head.target().startsWith("/")) {
            throw new HttpRefusal(400, "malformed request line");
        }
        boolean http11 = head.version().equals("HTTP/1.1");
        if (!http11 && !head.version().equals("HTTP/1.0")) {
            throw new HttpRefusal(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        }
        for (String single : SINGLE_FIELDS) {
            if (head.values(single).size() > 1) {
                throw new HttpRefusal(400, "repeated " + single);
            }
        }
        if (head.first("transfer-encoding") != null) {
            throw new HttpRefusal(411, "send the body with Content-Length; no transfer coding is accepted");
        }
        int contentLength = contentLength(head.first("content-length"), maxBody);
        String expect = head.first("expect");
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            throw new HttpRefusal(417, "only Expect: 100-continue is understood");
        }
        String connection = head.first("connection");
        boolean keepAlive = http11 ? !RequestHead.hasToken(connection, "close")
                : RequestHead.hasToken(connection, "keep-alive");
        String query = head.query();
        return new HttpRequest(head, query.isEmpty() ? Map.of() : parseQuery(query), keepAlive,
                http11 && expect != null, end, contentLength);
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
        return head.method();
    }

    String path() {
        return head.path();
    }

    /** A query parameter, URL-decoded, or null. */
    String query(String name) {
        return query.get(name);
    }

    Map<String, String> query() {
        return query;
    }

    /** The query as sent, not decoded; empty when there is none. */
    String rawQuery() {
        return head.query();
    }

    /** Every value of a header, by its name in lower case; empty when absent. */
    List<String> headers(String lowerCaseName) {
        return head.values(lowerCaseName);
    }

    /** Whether a proxy reported a client address ({@code Forwarded} or {@code X-Forwarded-For}). */
    boolean forwarded() {
        return head.first("forwarded") != null || head.first("x-forwarded-for") != null;
    }

    /** A header's first value, by its name in lower case, or null. */
    String header(String lowerCaseName) {
        return head.first(lowerCaseName);
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
