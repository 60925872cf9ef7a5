package io.pushcluster.web.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real WebSocket subscriber (the JDK's client) that records the text frames it receives. */
public final class WsClient implements AutoCloseable {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** System.nanoTime() when the connection was closed or failed; 0 while it is open. */
    private volatile long closedAtNanos;
    private final WebSocket socket;

    private WsClient(URI uri, String origin) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        try {
            socket = builder.buildAsync(uri, new Recorder()).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not connect to " + uri, e);
        }
    }

    /** Subscribes on the server's HTTP port, at its {@code /sub} endpoint. */
    public static WsClient connect(Http http, String query) {
        return connect(http.hostPort(), query);
    }

    static WsClient connectWithOrigin(Http http, String query, String origin) {
        return connectWithOrigin(http.hostPort(), query, origin);
    }

    /** Subscribes at {@code ws://host:port/sub}, for example on the WebSocket listener's port. */
    static WsClient connect(String hostPort, String query) {
        return connectWithOrigin(hostPort, query, null);
    }

    static WsClient connectWithOrigin(String hostPort, String query, String origin) {
        return new WsClient(URI.create("ws://" + hostPort + "/sub?" + query), origin);
    }

    /** The next text frame, or null when none arrives in time. */
    public String next(long timeoutMillis) {
        try {
            return frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Sends a ping and returns the payload of the pong that answers it, or null when none comes in time. */
    byte[] ping(byte[] payload, long timeoutMillis) {
        pongs.clear();
        socket.sendPing(ByteBuffer.wrap(payload)).join();
        try {
            return pongs.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Starts the close handshake with a status code. */
    void sendClose(int statusCode) {
        socket.sendClose(statusCode, "").join();
    }

    /** The status code of the server's close frame, or -1 when none arrived in time. */
    int closeCode(long timeoutMillis) {
        try {
            return closed.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** When (System.nanoTime()) the connection was closed; 0 while it is open. */
    long closedAtNanos() {
        return closedAtNanos;
    }

    /** Whether the server closed the connection within the time. */
    boolean closedWithin(long timeoutMillis) {
        try {
            closed.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }

    private final class Recorder implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            byte[] payload = new byte[message.remaining()];
            message.get(payload);
            pongs.add(payload);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedAtNanos = System.nanoTime();
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedAtNanos = System.nanoTime();
            closed.completeExceptionally(error);
        }
    }
}
