package io.pushcluster.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * WebSocket subscribers on one selector thread: opens them at a bounded rate with a bounded number of
 * handshakes in flight, sends the heartbeat {@code h} every heartbeat/2 seconds, and counts the frames
 * that arrive. A frame holding {@code "t":<epoch micros>} is a pushed message; its latency is the
 * receipt time minus that scheduled send time. Per connection it keeps a socket, a selection key and a
 * few fields; bytes are read into one shared buffer. With {@code wss:} URLs each connection speaks TLS
 * ({@link ClientTls}) and its handshake time includes the TLS handshake.
 */
final class Subscribers implements Runnable {

    private static final int READ_BUFFER_BYTES = 256 * 1024;
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Masked text frame "h" (a fixed mask key: the server only unmasks). */
    private static final byte[] HEARTBEAT = {(byte) 0x81, (byte) 0x81, 0x1d, 0x2c, 0x3b, 0x4a, (byte) ('h' ^ 0x1d)};

    private final IntFunction<String> urlOfIndex;
    private final InetSocketAddress server;
    private final ClientTls tls;
    private final List<InetAddress> sources;
    private final int total;
    private final double connectRate;
    private final int maxInflight;
    private final long connectTimeoutNanos;
    private final long heartbeatNanos;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final CountDownLatch connectPhase = new CountDownLatch(1);
    private final Thread thread = new Thread(this, "subscribers");

    final Latency delivery = new Latency();
    final Latency handshake = new Latency();
    final Map<String, Integer> errors = new ConcurrentHashMap<>();

    private volatile boolean stopping;
    /** Nothing is counted before {@link #countFrom}: warm-up messages may arrive during the warm-up. */
    private volatile long countFromMicros = Long.MAX_VALUE;
    private volatile int started;
    private volatile int inflight;
    private volatile int connected;
    private volatile int subscribed;
    private volatile int failed;
    private volatile int open;
    private volatile int dropped;
    private volatile long delivered;
    private volatile long untimed;
    private volatile long heartbeatReplies;
    private volatile long lastDeliveryNanos;
    private volatile double connectSeconds;
    private long connectStartNanos;
    private long nextSweepNanos;

    /** One connection. */
    private static final class Subscriber {
        final SocketChannel channel;
        final long startNanos;
        URI uri;
        boolean upgraded;
        boolean subscribed;
        boolean lost;
        long nextHeartbeatNanos;
        byte[] rest;
        ClientTls.Link link;

        Subscriber(SocketChannel channel, long startNanos, URI uri) {
            this.channel = channel;
            this.startNanos = startNanos;
            this.uri = uri;
        }
    }

    Subscribers(IntFunction<String> urlOfIndex, ClientTls tls, List<InetAddress> sources, int total, double connectRate,
            int maxInflight, int connectTimeoutSeconds, int heartbeatSeconds) throws IOException {
        this.urlOfIndex = urlOfIndex;
        URI first = URI.create(urlOfIndex.apply(0));
        boolean secure = "wss".equals(first.getScheme());
        if (secure && tls == null) {
            throw new IllegalArgumentException("wss: subscriber URLs need --trust KEYSTORE.p12");
        }
        this.tls = secure ? tls : null;
        this.server = new InetSocketAddress(Options.requireLoopback(first.getHost()),
                first.getPort() > 0 ? first.getPort() : secure ? 443 : 80);
        this.sources = sources;
        this.total = total;
        this.connectRate = connectRate;
        this.maxInflight = maxInflight;
        this.connectTimeoutNanos = TimeUnit.SECONDS.toNanos(connectTimeoutSeconds);
        this.heartbeatNanos = heartbeatSeconds > 0 ? TimeUnit.SECONDS.toNanos(heartbeatSeconds) / 2 : 0;
        this.selector = Selector.open();
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits until every connection was attempted and no handshake is in flight. */
    boolean awaitConnectPhase(long timeoutSeconds) throws InterruptedException {
        return connectPhase.await(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** Messages scheduled before this time (the warm-up's) are not counted. */
    void countFrom(long epochMicros) {
        countFromMicros = epochMicros;
    }

    void stop() throws InterruptedException {
        stopping = true;
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    int connected() { return connected; }
    int subscribed() { return subscribed; }
    int failed() { return failed; }
    int open() { return open; }
    int dropped() { return dropped; }
    long delivered() { return delivered; }
    long untimed() { return untimed; }
    long heartbeatReplies() { return heartbeatReplies; }
    long lastDeliveryNanos() { return lastDeliveryNanos; }
    double connectSeconds() { return connectSeconds; }

    @Override
    public void run() {
        connectStartNanos = System.nanoTime();
        try {
            while (!stopping) {
                long now = System.nanoTime();
                long wait = openDue(now);
                selector.select(wait);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                now = System.nanoTime();
                if (now >= nextSweepNanos) {
                    sweep(now);
                    nextSweepNanos = now + SWEEP_NANOS;
                }
                if (connectPhase.getCount() > 0 && started == total && inflight == 0) {
                    connectSeconds = (now - connectStartNanos) / 1e9;
                    connectPhase.countDown();
                }
            }
        } catch (IOException | RuntimeException e) {
            error("subscriber loop: " + e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                close(key);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            connectPhase.countDown();
        }
    }

    /** Starts the connections that are due; returns how long the selector may wait, in milliseconds. */
    private long openDue(long now) {
        while (started < total && inflight < maxInflight) {
            if (connectRate > 0) {
                long due = connectStartNanos + (long) (started * 1e9 / connectRate);
                if (due > now) {
                    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - now));
                }
            }
            connect(started++, now);
        }
        return 100;
    }

    private void connect(int index, long now) {
        SocketChannel channel = null;
        boolean registered = false;
        try {
            URI uri = URI.create(urlOfIndex.apply(index));
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (!sources.isEmpty()) {
                channel.bind(new InetSocketAddress(sources.get(index % sources.size()), 0));
            }
            SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT, new Subscriber(channel, now, uri));
            registered = true;
            inflight++;
            if (channel.connect(server)) {
                connected(key);
            }
        } catch (IOException | RuntimeException e) {
            failed++;
            error("connect: " + e.getMessage());
            if (registered) {
                inflight--;
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // counted as failed already
                }
            }
        }
    }

    private void handle(SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                if (((SocketChannel) key.channel()).finishConnect()) {
                    connected(key);
                }
                return;
            }
            if (key.isWritable() && ((Subscriber) key.attachment()).link.flush((SocketChannel) key.channel())) {
                key.interestOps(SelectionKey.OP_READ);
            }
            if (key.isReadable()) {
                read(key);
            }
        } catch (IOException | RuntimeException e) {
            lost(key, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The TCP connection is up: the WebSocket upgrade goes now, or once the TLS handshake is over. */
    private void connected(SelectionKey key) throws IOException {
        Subscriber s = (Subscriber) key.attachment();
        key.interestOps(SelectionKey.OP_READ);
        if (tls == null) {
            sendHandshake(key, s);
        } else {
            s.link = tls.link();
            s.link.handshake(s.channel);
            watchWrites(key, s);
        }
    }

    /** Writes bytes to the server: over TLS what the socket does not take at once goes when it is writable. */
    private void send(SelectionKey key, Subscriber s, ByteBuffer bytes) throws IOException {
        if (s.link == null) {
            s.channel.write(bytes);
        } else {
            s.link.write(s.channel, bytes);
            watchWrites(key, s);
        }
    }

    private static void watchWrites(SelectionKey key, Subscriber s) {
        if (s.link.wantsWrite()) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void sendHandshake(SelectionKey key, Subscriber s) throws IOException {
        URI uri = s.uri;
        s.uri = null;
        String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + server.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        send(key, s, out);
        if (out.hasRemaining()) {
            throw new IOException("handshake not written at once");
        }
    }

    private void read(SelectionKey key) throws IOException {
        Subscriber s = (Subscriber) key.attachment();
        ByteBuffer buffer = readBuffer;
        buffer.clear();
        if (s.rest != null) {
            buffer.put(s.rest);
            s.rest = null;
        }
        int n = s.link == null ? s.channel.read(buffer) : s.link.read(s.channel, buffer);
        if (n < 0) {
            lost(key, s.upgraded ? "closed by server" : "closed before the upgrade");
            return;
        }
        if (s.link != null) {
            watchWrites(key, s);
            if (s.uri != null) {
                if (s.link.ready()) {
                    sendHandshake(key, s); // the TLS handshake is over: the WebSocket one goes
                }
                return;
            }
        }
        buffer.flip();
        if (!s.upgraded && !upgrade(key, s, buffer)) {
            return;
        }
        frames(key, s, buffer);
        if (key.isValid() && buffer.hasRemaining()) {
            s.rest = new byte[buffer.remaining()];
            buffer.get(s.rest);
        }
    }

    /** Reads the HTTP reply to the upgrade; false while it is incomplete or when it refused. */
    private boolean upgrade(SelectionKey key, Subscriber s, ByteBuffer buffer) {
        int end = headerEnd(buffer);
        if (end < 0) {
            if (buffer.remaining() > 16384) {
                lost(key, "upgrade reply too long");
            } else {
                s.rest = new byte[buffer.remaining()];
                buffer.get(s.rest);
            }
            return false;
        }
        String status = new String(buffer.array(), buffer.position(), Math.min(end - buffer.position(), 40),
                StandardCharsets.ISO_8859_1).split("\r\n")[0];
        if (!status.startsWith("HTTP/1.1 101")) {
            lost(key, "upgrade refused: " + status);
            return false;
        }
        buffer.position(end);
        s.upgraded = true;
        inflight--;
        connected++;
        open++;
        long now = System.nanoTime();
        handshake.record((now - s.startNanos) / 1000);
        s.nextHeartbeatNanos = now + heartbeatNanos;
        return true;
    }

    private static int headerEnd(ByteBuffer b) {
        byte[] a = b.array();
        for (int i = b.position(); i + 3 < b.limit(); i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private void frames(SelectionKey key, Subscriber s, ByteBuffer b) throws IOException {
        byte[] a = b.array();
        long nowMicros = EpochMicros.now();
        while (b.remaining() >= 2) {
            int p = b.position();
            int opcode = a[p] & 0x0f;
            int header = 2;
            long length = a[p + 1] & 0x7f;
            if (length == 126) {
                if (b.remaining() < 4) {
                    return;
                }
                length = ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
                header = 4;
            } else if (length == 127) {
                if (b.remaining() < 10) {
                    return;
                }
                length = b.getLong(p + 2);
                header = 10;
            }
            if ((a[p + 1] & 0x80) != 0) {
                header += 4;
            }
            if (header + length > READ_BUFFER_BYTES / 2) {
                lost(key, "frame of " + length + " bytes is larger than the read buffer");
                return;
            }
            if (b.remaining() < header + length) {
                return;
            }
            int start = p + header;
            int end = start + (int) length;
            b.position(end);
            switch (opcode) {
                case 1, 2 -> message(key, s, a, start, end, nowMicros);
                case 8 -> {
                    lost(key, "close frame from server");
                    return;
                }
                case 9 -> send(key, s, ByteBuffer.wrap(pong(a, start, end)));
                default -> {
                    // continuation frames and pongs: the timestamp is in a message's first frame
                }
            }
        }
    }

    private void message(SelectionKey key, Subscriber s, byte[] a, int start, int end, long nowMicros) {
        if (end - start >= 2 && a[start] == '+' && a[start + 1] == 'h') {
            if (s.subscribed) {
                heartbeatReplies++;
            } else {
                s.subscribed = true;
                subscribed++;
            }
            return;
        }
        if (end > start && a[start] == '-') {
            error("refused with " + new String(a, start, Math.min(end - start, 8), StandardCharsets.US_ASCII).trim());
            return;
        }
        long sent = timestamp(a, start, Math.min(end, start + 256));
        if (sent < 0) {
            untimed++;
        } else if (sent >= countFromMicros) {
            delivered++;
            lastDeliveryNanos = System.nanoTime();
            delivery.record(nowMicros - sent);
        }
    }

    /** The number after the first {@code "t":} in a[from, to), or -1. */
    static long timestamp(byte[] a, int from, int to) {
        for (int i = from; i + 4 < to; i++) {
            if (a[i] == '"' && a[i + 1] == 't' && a[i + 2] == '"' && a[i + 3] == ':') {
                long value = 0;
                int digits = 0;
                for (int j = i + 4; j < to && a[j] >= '0' && a[j] <= '9' && digits < 19; j++, digits++) {
                    value = value * 10 + (a[j] - '0');
                }
                return digits >= 13 ? value : -1;
            }
        }
        return -1;
    }

    private static byte[] pong(byte[] a, int start, int end) {
        int n = Math.min(end - start, 125);
        byte[] frame = new byte[6 + n];
        frame[0] = (byte) 0x8a;
        frame[1] = (byte) (0x80 | n);
        System.arraycopy(a, start, frame, 6, n);
        return frame;
    }

    /** Handshake deadlines and heartbeats. */
    private void sweep(long now) {
        List<SelectionKey> expired = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (!key.isValid()) {
                continue;
            }
            Subscriber s = (Subscriber) key.attachment();
            if (!s.upgraded) {
                if (now - s.startNanos > connectTimeoutNanos) {
                    expired.add(key);
                }
            } else if (heartbeatNanos > 0 && now >= s.nextHeartbeatNanos) {
                s.nextHeartbeatNanos = now + heartbeatNanos;
                try {
                    send(key, s, ByteBuffer.wrap(HEARTBEAT));
                } catch (IOException e) {
                    expired.add(key);
                }
            }
        }
        for (SelectionKey key : expired) {
            lost(key, ((Subscriber) key.attachment()).upgraded ? "heartbeat not written" : "connect timeout");
        }
    }

    /**
     * A connection that closed or failed: before the upgrade it failed, after it was dropped. (Its key
     * may be invalid already: a failed {@code finishConnect} closes the channel itself.)
     */
    private void lost(SelectionKey key, String reason) {
        Subscriber s = (Subscriber) key.attachment();
        if (s.lost) {
            return;
        }
        s.lost = true;
        close(key);
        if (s.upgraded) {
            open--;
            if (!stopping) {
                dropped++;
                error(reason);
            }
        } else {
            inflight--;
            failed++;
            error(reason);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void error(String message) {
        String m = message == null ? "null" : message.length() > 120 ? message.substring(0, 120) : message;
        errors.merge(m, 1, Integer::sum);
    }
}
