package io.pushcluster.web.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A TCP subscriber on a plain socket (PROTOCOL.md A.5): sends any bytes, reads replies and push frames. */
final class TcpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    /** @param receiveBuffer the socket's receive buffer in bytes, 0 for the system's default */
    TcpClient(int port, int receiveBuffer) {
        try {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TcpClient(int port) {
        this(port, 0);
    }

    /** {@code *N\r\n} then {@code $len\r\narg\r\n} for each argument, lengths in bytes of UTF-8. */
    static byte[] command(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + arguments.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** Sends the command {@code arguments} make. */
    TcpClient subscribe(String... arguments) {
        return send(command(arguments));
    }

    /** Writes bytes as they are; a server that has closed already is what some callers expect. */
    TcpClient send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // see above
        }
        return this;
    }

    TcpClient send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next reply ({@code +h\r\n}, {@code -p\r\n}, ...), or null when none arrives in time. */
    String nextReply(long timeoutMillis) {
        byte[] reply = readExactly(4, timeoutMillis);
        return reply == null ? null : new String(reply, StandardCharsets.US_ASCII);
    }

    /**
     * The next push frame, {@code $<byte length>\r\n<json>\r\n}, checked to be one and returned whole;
     * null when none arrives in time.
     */
    String nextFrame(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 2 || !head.toString(StandardCharsets.US_ASCII).endsWith("\r\n")) {
            byte[] next = readExactly(1, deadline - System.currentTimeMillis());
            if (next == null) {
                return null;
            }
            head.write(next[0]);
            if (head.size() > 13) {
                throw new AssertionError("not a frame header: " + head.toString(StandardCharsets.ISO_8859_1));
            }
        }
        String header = head.toString(StandardCharsets.US_ASCII);
        if (!header.matches("\\$[0-9]+\r\n")) {
            throw new AssertionError("not a frame header: " + header);
        }
        int length = Integer.parseInt(header.substring(1, header.length() - 2));
        byte[] body = readExactly(length + 2, deadline - System.currentTimeMillis());
        if (body == null) {
            return null;
        }
        if (body[length] != '\r' || body[length + 1] != '\n') {
            throw new AssertionError("frame of " + length + " bytes not followed by CRLF");
        }
        return header + new String(body, StandardCharsets.UTF_8);
    }

    /** The JSON of the next push frame, or null. */
    String nextJson(long timeoutMillis) {
        String frame = nextFrame(timeoutMillis);
        return frame == null ? null : frame.substring(frame.indexOf("\r\n") + 2, frame.length() - 2);
    }

    /** Exactly count bytes, or null when they do not all arrive in time. */
    private byte[] readExactly(int count, long timeoutMillis) {
        byte[] bytes = new byte[count];
        int filled = 0;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            while (filled < count) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return null;
                }
                socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                int read = in.read(bytes, filled, count - filled);
                if (read == -1) {
                    return null;
                }
                filled += read;
            }
            return bytes;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads until the server closes the connection, within the time; returns whether it did. Whatever
     * arrives on the way is discarded.
     */
    boolean closedByServerWithin(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        byte[] chunk = new byte[64 * 1024];
        try {
            while (System.currentTimeMillis() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(1_000, deadline - System.currentTimeMillis())));
                try {
                    if (in.read(chunk) == -1) {
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

    /**
     * Everything the server sends until it closes the connection, or null when it has not closed it
     * within the time.
     */
    String restUntilClosed(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            while (System.currentTimeMillis() < deadline && rest.size() < 64 * 1024) {
                socket.setSoTimeout((int) Math.max(1, Math.min(1_000, deadline - System.currentTimeMillis())));
                try {
                    int read = in.read(chunk);
                    if (read == -1) {
                        return rest.toString(StandardCharsets.UTF_8);
                    }
                    rest.write(chunk, 0, read);
                } catch (SocketTimeoutException e) {
                    // keep waiting until the deadline
                }
            }
            return null;
        } catch (IOException e) {
            return rest.toString(StandardCharsets.UTF_8);
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
