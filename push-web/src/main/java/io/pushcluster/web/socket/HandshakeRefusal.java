package io.pushcluster.web.socket;

import io.pushcluster.web.nio.RawResponse;
import java.util.Map;

/** An upgrade request the server refuses, with the HTTP response that says so. */
public final class HandshakeRefusal extends Exception {

    private final int status;
    private final String reason;
    private final Map<String, String> headers;

    private HandshakeRefusal(int status, String reason, Map<String, String> headers, String why) {
        // no stack trace: a client sending garbage is expected, and costs no more than a status
        super(why, null, false, false);
        this.status = status;
        this.reason = reason;
        this.headers = headers;
    }

    /** Malformed, too large, or not a WebSocket upgrade. */
    public static HandshakeRefusal badRequest(String why) {
        return new HandshakeRefusal(400, "Bad Request", Map.of(), why);
    }

    /** A browser origin not on {@code push.origins}. */
    public static HandshakeRefusal forbidden() {
        return new HandshakeRefusal(403, "Forbidden", Map.of(), "origin not allowed");
    }

    /** Anything but {@code /sub}. */
    static HandshakeRefusal notFound() {
        return new HandshakeRefusal(404, "Not Found", Map.of(), "not /sub");
    }

    public static HandshakeRefusal methodNotAllowed() {
        return new HandshakeRefusal(405, "Method Not Allowed", Map.of("Allow", "GET"), "not GET");
    }

    /** A WebSocket version other than 13. */
    static HandshakeRefusal unsupportedVersion() {
        return new HandshakeRefusal(426, "Upgrade Required", Map.of("Sec-WebSocket-Version", "13"), "not version 13");
    }

    /** More subscribers than the server holds at once. */
    public static HandshakeRefusal unavailable() {
        return new HandshakeRefusal(503, "Service Unavailable", Map.of(), "too many connections");
    }

    public int status() {
        return status;
    }

    /** Headers the response carries besides the status, by name. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The whole response, after which the server closes. */
    public byte[] response() {
        return RawResponse.closing(status, reason, headers);
    }
}
