package io.pushcluster.web.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket, for what a real client library will not do: never reading,
 * or sending malformed frames after the handshake.
 */
final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final String handshakeReply;

    RawWebSocket(int port, String query, int receiveBuffer) {
        try {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            String request = "GET /sub?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            in = socket.getInputStream();
            handshakeReply = readHead();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean upgraded() {
        return handshakeReply.startsWith("HTTP/1.1 101");
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 16 * 1024) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes bytes as they are: frames or garbage. */
    void sendRaw(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // the server may already have closed: that is what some callers expect
        }
    }

    /** A masked client frame with the given opcode and payload. */
    static byte[] frame(int opcode, byte[] payload, boolean fin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        }
        byte[] mask = {1, 2, 3, 4};
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }

    /**
     * Reads until the server closes the TCP connection or sends a close frame, within the time;
     * returns whether it did. Data frames read on the way are discarded.
     */
    boolean closedByServerWithin(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        byte[] chunk = new byte[64 * 1024];
        try {
            while (System.currentTimeMillis() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(1_000, deadline - System.currentTimeMillis())));
                try {
                    int read = in.read(chunk);
                    if (read == -1) {
                        return true;
                    }
                    if (containsCloseFrameStart(chunk, read)) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // keep waiting until the deadline
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** A close frame (0x88) that carries a normal-closure-range status is a good enough sign here. */
    private static boolean containsCloseFrameStart(byte[] data, int length) {
        for (int i = 0; i + 1 < length; i++) {
            if ((data[i] & 0xff) == 0x88 && (data[i + 1] & 0x7f) <= 125) {
                return true;
            }
        }
        return false;
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
