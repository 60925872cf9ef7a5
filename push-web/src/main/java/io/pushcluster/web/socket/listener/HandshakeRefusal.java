package io.pushcluster.web.socket.listener;

import java.nio.charset.StandardCharsets;

/** An upgrade request the server refuses, with the HTTP response that says so. */
final class HandshakeRefusal extends Exception {

    private final int status;
    private final String reason;
    private final String headers;

    private HandshakeRefusal(int status, String reason, String headers, String why) {
        // no stack trace: a client sending garbage is expected, and costs no more than a status
        super(why, null, false, false);
        this.status = status;
        this.reason = reason;
        this.headers = headers;
    }

    /** Malformed, too large, or not a WebSocket upgrade. */
    static HandshakeRefusal badRequest(String why) {
        return new HandshakeRefusal(400, "Bad Request", "", why);
    }

    /** A browser origin not on {@code push.origins}. */
    static HandshakeRefusal forbidden() {
        return new HandshakeRefusal(403, "Forbidden", "", "origin not allowed");
    }

    /** Anything but {@code /sub}. */
    static HandshakeRefusal notFound() {
        return new HandshakeRefusal(404, "Not Found", "", "not /sub");
    }

    static HandshakeRefusal methodNotAllowed() {
        return new HandshakeRefusal(405, "Method Not Allowed", "Allow: GET\r\n", "not GET");
    }

    /** A WebSocket version other than 13. */
    static HandshakeRefusal unsupportedVersion() {
        return new HandshakeRefusal(426, "Upgrade Required", "Sec-WebSocket-Version: 13\r\n", "not version 13");
    }

    int status() {
        return status;
    }

    /** The whole response, after which the server closes. */
    byte[] response() {
        return ("HTTP/1.1 " + status + " " + reason + "\r\n" + headers
                + "Connection: close\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
