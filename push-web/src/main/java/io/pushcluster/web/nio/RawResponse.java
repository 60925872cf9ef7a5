package io.pushcluster.web.nio;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * An HTTP/1.1 response written as bytes, for the listeners of our own: every answer the HTTP listener
 * gives and every refused WebSocket upgrade is built here.
 */
public final class RawResponse {

    private static final byte[] EMPTY = new byte[0];

    private RawResponse() {
    }

    /**
     * @param headers     further header fields, in order
     * @param contentType null when the body is empty and has none
     * @param keepAlive   false adds {@code Connection: close}
     */
    public static byte[] of(int status, String reason, Map<String, String> headers, String contentType, byte[] body,
            boolean keepAlive) {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ').append(reason)
                .append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] response = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, response, headBytes.length, body.length);
        return response;
    }

    /** A response without a body, after which the server closes the connection. */
    public static byte[] closing(int status, String reason, Map<String, String> headers) {
        return of(status, reason, headers, null, EMPTY, false);
    }

    /** A plain-text response. */
    public static byte[] text(int status, String reason, Map<String, String> headers, String text, boolean keepAlive) {
        return of(status, reason, headers, "text/plain;charset=utf-8", text.getBytes(StandardCharsets.UTF_8),
                keepAlive);
    }
}
