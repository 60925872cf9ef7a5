package io.pushcluster.web.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes exactly as given over a plain socket, for requests no well-behaved client would send,
 * and reads the reply until the server closes or a bound is reached.
 */
final class RawHttp {

    private static final int MAX_REPLY = 64 * 1024;

    /** The reply: status (0 when the server answered nothing parseable) and the whole text. */
    record Reply(int status, String text) {
    }

    private RawHttp() {
    }

    static Reply send(int port, byte[] request) {
        return sendFrom("127.0.0.1", port, request);
    }

    /** As {@link #send(int, byte[])}, from a source address of this host's loopback (127.0.0.0/8). */
    static Reply sendFrom(String source, int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[4096];
            try {
                int read;
                while (reply.size() < MAX_REPLY && (read = in.read(chunk)) != -1) {
                    reply.write(chunk, 0, read);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // a server that keeps the connection open or resets it: judge what arrived
            }
            String text = reply.toString(StandardCharsets.ISO_8859_1);
            return new Reply(status(text), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reply send(int port, String request) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Reply sendFrom(String source, int port, String request) {
        return sendFrom(source, port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int status(String text) {
        if (!text.startsWith("HTTP/1.")) {
            return 0;
        }
        int space = text.indexOf(' ');
        try {
            return Integer.parseInt(text.substring(space + 1, space + 4));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
