package io.pushcluster.web.socket.listener;

import io.pushcluster.web.socket.WebSocketFraming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import io.pushcluster.web.nio.RunningListener;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A WebSocket client on a plain socket: sends any bytes, reads the response head and server frames. */
final class RawClient implements AutoCloseable {

    /** A frame from the server. */
    record Frame(int opcode, byte[] payload) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final Socket socket;
    private final InputStream in;

    RawClient(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(5_000);
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String upgrade(String query, String... headers) {
        StringBuilder request = new StringBuilder("GET /sub?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** Sends the upgrade and returns the response head. */
    String handshake(String query, String... headers) {
        send(upgrade(query, headers));
        return head();
    }

    RawClient send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // the server may have closed already, which is what some callers expect
        }
        return this;
    }

    RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The response head, up to its blank line; what has arrived when the server closes first. */
    String head() {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (head.size() < 16 * 1024 && !head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
        } catch (IOException e) {
            // judge what arrived
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The next frame, or null when the server closes or sends none within the socket's timeout. */
    Frame frame() {
        try {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return null;
            }
            if ((second & 0x80) != 0) {
                throw new AssertionError("a masked server frame");
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if ((first & 0x80) == 0) {
                throw new AssertionError("a fragmented server frame");
            }
            return new Frame(first & 0x0F, payload);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The text of the next frame, which must be a text frame. */
    String text() {
        Frame frame = frame();
        if (frame == null) {
            return null;
        }
        if (frame.opcode() != WebSocketFraming.TEXT) {
            throw new AssertionError("opcode " + frame.opcode() + " instead of text");
        }
        return frame.text();
    }

    /** Reads until the server ends the stream, within the socket's timeout; false when it did not. */
    boolean closedByServer() {
        try {
            return RunningListener.closedByServer(in);
        } catch (IOException e) {
            return true;
        }
    }

    void timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to release
        }
    }
}
