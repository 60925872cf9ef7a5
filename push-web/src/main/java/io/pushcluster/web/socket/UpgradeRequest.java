package io.pushcluster.web.socket;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.subscribe.SubscribeRequest;
import io.pushcluster.web.nio.RequestHead;
import io.pushcluster.web.rest.Params;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A WebSocket upgrade of {@code GET /sub?key=K&heartbeat=S&token=T&ver=V HTTP/1.1} (RFC 6455 section
 * 4.2.1), reduced to what the server needs of it: the subscribe parameters (the first of each name)
 * the handshake key, and the client addresses proxies reported ({@code Forwarded}, {@code X-Forwarded-For},
 * believed only from a trusted proxy). Nothing else of the request is kept.
 *
 * @param forwarding the values of {@code forwarded} and {@code x-forwarded-for}, by those names
 */
public record UpgradeRequest(String key, String heartbeat, String token, String version, String webSocketKey,
        Map<String, List<String>> forwarding) {

    /** The headers a proxy reports its client's address in, by their names in lower case. */
    public static final List<String> FORWARDING_HEADERS = List.of("forwarded", "x-forwarded-for");

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
     * Reads a whole request head, request line to blank line, as {@link RequestHead#end} found its end.
     *
     * @param allowedOrigins {@code push.origins}
     * @throws HandshakeRefusal with the response for a request that is not such an upgrade
     */
    public static UpgradeRequest parse(byte[] bytes, int end, List<String> allowedOrigins) throws HandshakeRefusal {
        RequestHead head;
        try {
            head = RequestHead.parse(bytes, end);
        } catch (RequestHead.Malformed e) {
            throw HandshakeRefusal.badRequest(e.getMessage());
        }
        if (!"HTTP/1.1".equals(head.version())) {
            throw HandshakeRefusal.badRequest("not an HTTP/1.1 request line");
        }
        if (!PATH.equals(head.path())) {
            throw HandshakeRefusal.notFound();
        }
        if (!"GET".equals(head.method())) {
            throw HandshakeRefusal.methodNotAllowed();
        }
        return check(head::values, head.query(), allowedOrigins);
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
        Map<String, List<String>> forwarding = new HashMap<>();
        for (String name : FORWARDING_HEADERS) {
            List<String> values = headerValues.apply(name);
            if (!values.isEmpty()) {
                forwarding.put(name, List.copyOf(values));
            }
        }
        return check(headers, query == null ? "" : query, allowedOrigins, Map.copyOf(forwarding));
    }

    private static UpgradeRequest check(Map<String, String> headers, String query, List<String> allowedOrigins,
            Map<String, List<String>> forwarding) throws HandshakeRefusal {
        if (!headers.containsKey("host")) {
            throw HandshakeRefusal.badRequest("no Host");
        }
        if (!RequestHead.hasToken(headers.get("upgrade"), "websocket")
                || !RequestHead.hasToken(headers.get("connection"), "upgrade")) {
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
                parameters.get("ver"), webSocketKey, forwarding);
    }

    /** The subscribe parameters of a query string, the first of each name, percent-decoded as UTF-8. */
    private static Map<String, String> parameters(String query) throws HandshakeRefusal {
        try {
            Map<String, String> fields = Params.form(query);
            fields.keySet().retainAll(PARAMETERS);
            return fields;
        } catch (InvalidParameterException e) {
            throw HandshakeRefusal.badRequest("malformed percent-encoding in the query");
        }
    }

    /** The subscribe these parameters make, or empty when they are invalid ({@code -p}). */
    public Optional<SubscribeRequest> subscribeRequest(PushSettings settings) {
        return SubscribeRequest.parse(key, heartbeat, token, version, settings);
    }

    /** A forwarding header's values, by its name in lower case; empty when absent. */
    public List<String> forwarding(String lowerCaseName) {
        return forwarding.getOrDefault(lowerCaseName, List.of());
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
}
