package io.pushcluster.web.socket;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.subscribe.SubscribeRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A WebSocket upgrade of {@code GET /sub?key=K&heartbeat=S&token=T&ver=V HTTP/1.1} (RFC 6455 section
 * 4.2.1), reduced to what the server needs of it: the subscribe parameters (the first of each name)
 * and the handshake key. Nothing else of the request is kept.
 */
public record UpgradeRequest(String key, String heartbeat, String token, String version, String webSocketKey) {

    private static final String PATH = "/sub";
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Set<String> PARAMETERS = Set.of("key", "heartbeat", "token", "ver");
    private static final int KEY_BYTES = 16;
    /** The headers an upgrade is judged by; the others are not read. */
    private static final List<String> UPGRADE_HEADERS =
            List.of("host", "origin", "sec-websocket-key", "sec-websocket-version", "upgrade", "connection");
    /** Headers whose lines are joined into one comma-separated value; each of the others may come once. */
    private static final Set<String> JOINED_HEADERS = Set.of("upgrade", "connection");

    /**
     * Where the blank line that ends a request head ends: the index just past it, or -1 when the bytes
     * hold none.
     *
     * @param from how many bytes were searched before (a head arriving in pieces)
     */
    public static int headEnd(byte[] bytes, int from) {
        for (int i = Math.max(from, 3); i < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Reads a whole request head, request line to blank line.
     *
     * @param allowedOrigins {@code push.origins}
     * @throws HandshakeRefusal with the response for a request that is not such an upgrade
     */
    public static UpgradeRequest parse(byte[] head, List<String> allowedOrigins) throws HandshakeRefusal {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf("\r\n");
        String[] requestLine = text.substring(0, lineEnd).split(" ", -1);
        if (requestLine.length != 3 || !isToken(requestLine[0]) || !isVisible(requestLine[1])
                || !"HTTP/1.1".equals(requestLine[2])) {
            throw HandshakeRefusal.badRequest("not an HTTP/1.1 request line");
        }
        String target = requestLine[1];
        int question = target.indexOf('?');
        if (!PATH.equals(question < 0 ? target : target.substring(0, question))) {
            throw HandshakeRefusal.notFound();
        }
        if (!"GET".equals(requestLine[0])) {
            throw HandshakeRefusal.methodNotAllowed();
        }
        return check(headers(text, lineEnd + 2), question < 0 ? "" : target.substring(question + 1), allowedOrigins);
    }

    /**
     * Checks a {@code GET /sub} request that an HTTP server has read, such as Payara's.
     *
     * @param headerValues every value of a header, by name; empty when it is absent
     * @param query the raw query string, null or empty for none
     * @throws HandshakeRefusal with the response for a request that is not such an upgrade
     */
    public static UpgradeRequest check(Function<String, List<String>> headerValues, String query,
            List<String> allowedOrigins) throws HandshakeRefusal {
        Map<String, String> headers = new HashMap<>();
        for (String name : UPGRADE_HEADERS) {
            List<String> values = headerValues.apply(name);
            if (values.size() > 1 && !JOINED_HEADERS.contains(name)) {
                throw HandshakeRefusal.badRequest("more than one " + name);
            }
            if (!values.isEmpty()) {
                headers.put(name, String.join(",", values));
            }
        }
        return check(headers, query == null ? "" : query, allowedOrigins);
    }

    private static UpgradeRequest check(Map<String, String> headers, String query, List<String> allowedOrigins)
            throws HandshakeRefusal {
        if (!headers.containsKey("host")) {
            throw HandshakeRefusal.badRequest("no Host");
        }
        if (!hasToken(headers.get("upgrade"), "websocket") || !hasToken(headers.get("connection"), "upgrade")) {
            throw HandshakeRefusal.badRequest("not a WebSocket upgrade");
        }
        if (!"13".equals(headers.get("sec-websocket-version"))) {
            throw HandshakeRefusal.unsupportedVersion();
        }
        String webSocketKey = headers.get("sec-websocket-key");
        if (!isHandshakeKey(webSocketKey)) {
            throw HandshakeRefusal.badRequest("no valid Sec-WebSocket-Key");
        }
        if (!Origins.allowed(allowedOrigins, headers.get("origin"))) {
            throw HandshakeRefusal.forbidden();
        }
        Map<String, String> parameters = parameters(query);
        return new UpgradeRequest(parameters.get("key"), parameters.get("heartbeat"), parameters.get("token"),
                parameters.get("ver"), webSocketKey);
    }

    /**
     * The headers the upgrade needs, by lower-case name: Host, Origin and the handshake's, each at most
     * once, and Upgrade and Connection with every line's values joined.
     */
    private static Map<String, String> headers(String text, int start) throws HandshakeRefusal {
        Map<String, String> headers = new HashMap<>();
        int end;
        while ((end = text.indexOf("\r\n", start)) != start) {
            String line = text.substring(start, end);
            start = end + 2;
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw HandshakeRefusal.badRequest("malformed header line");
            }
            String value = withoutOptionalWhiteSpace(line.substring(colon + 1));
            if (!isFieldValue(value)) {
                throw HandshakeRefusal.badRequest("control characters in a header");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (JOINED_HEADERS.contains(name)) {
                headers.merge(name, value, (a, b) -> a + "," + b);
            } else if (UPGRADE_HEADERS.contains(name) && headers.putIfAbsent(name, value) != null) {
                throw HandshakeRefusal.badRequest("more than one " + name);
            }
        }
        return headers;
    }

    /** The subscribe parameters of a query string, the first of each name, percent-decoded as UTF-8. */
    private static Map<String, String> parameters(String query) throws HandshakeRefusal {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            try {
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                if (PARAMETERS.contains(name)) {
                    parameters.putIfAbsent(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
                }
            } catch (IllegalArgumentException e) {
                throw HandshakeRefusal.badRequest("malformed percent-encoding in the query");
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The subscribe these parameters make, or empty when they are invalid ({@code -p}). */
    public Optional<SubscribeRequest> subscribeRequest(PushSettings settings) {
        return SubscribeRequest.parse(key, heartbeat, token, version, settings);
    }

    /** The 101 response that completes the handshake. */
    public byte[] switchingProtocols() {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(webSocketKey) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sec-WebSocket-Accept for a Sec-WebSocket-Key: the base64 of the SHA-1 of the key and the protocol's GUID. */
    public static String accept(String webSocketKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((webSocketKey + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    private static boolean isHandshakeKey(String value) {
        if (value == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(value).length == KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a comma-separated header value holds the token, in any case. */
    private static boolean hasToken(String value, String token) {
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

    private static String withoutOptionalWhiteSpace(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && isSpaceOrTab(text.charAt(from))) {
            from++;
        }
        while (to > from && isSpaceOrTab(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }

    private static boolean isSpaceOrTab(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 9110 token: a method or header name. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A request target: visible ASCII only. */
    private static boolean isVisible(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }

    /** No control characters but tab. */
    private static boolean isFieldValue(String text) {
        return text.chars().allMatch(c -> c == '\t' || c >= 0x20 && c != 0x7F);
    }
}
