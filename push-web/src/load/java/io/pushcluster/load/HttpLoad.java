package io.pushcluster.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 requests over a fixed number of keep-alive connections on the calling thread, one request
 * in flight per connection (so the connections bound the requests in flight). With a rate, request
 * number i is due at start + i/rate and carries that scheduled time; requests that find every
 * connection busy wait in a queue, so a server that falls behind shows as latency rather than as a
 * lower offered rate. Without a rate, each connection sends its next request as soon as its reply is in.
 * A connection the server closes is replaced. For an {@code https:} URL every connection speaks TLS
 * ({@link ClientTls}), its handshake done when it opens.
 */
final class HttpLoad {

    /** What to send and what to make of the reply; both called on the loop thread. */
    interface Exchange {
        byte[] request(long seq, long scheduledMicros);

        /** @return whether the reply is the expected one */
        boolean reply(long seq, long scheduledMicros, int status, byte[] body);
    }

    /** Counts of one {@link #run}. */
    static final class Outcome {
        long sent;
        long ok;
        long rejected;
        long failed;
        long unsent;
        long maxQueued;
        double seconds;
        final Latency latency = new Latency();
        final Map<String, Integer> errors = new ConcurrentHashMap<>();

        double okPerSecond() {
            return seconds > 0 ? ok / seconds : 0;
        }

        String brief() {
            return String.format(Locale.ROOT, "sent=%d ok=%d rejected=%d failed=%d unsent=%d in %.2fs (%.1f ok/s)",
                    sent, ok, rejected, failed, unsent, seconds, okPerSecond());
        }
    }

    private static final int MAX_QUEUED = 200_000;

    private final InetSocketAddress server;
    private final String hostHeader;
    private final String extraHeaders;
    private final int connections;
    private final ClientTls tls;
    /** Where TLS connections decrypt to before a reply's bytes are appended to its connection's. */
    private final ByteBuffer plain = ByteBuffer.allocate(96 * 1024);

    HttpLoad(URI anyUrl, int connections, String authorization, ClientTls tls) {
        boolean secure = "https".equals(anyUrl.getScheme());
        if (secure && tls == null) {
            throw new IllegalArgumentException("https: URLs need --trust KEYSTORE.p12");
        }
        this.tls = secure ? tls : null;
        this.server = new InetSocketAddress(Options.requireLoopback(anyUrl.getHost()),
                anyUrl.getPort() > 0 ? anyUrl.getPort() : secure ? 443 : 80);
        this.hostHeader = anyUrl.getHost() + ":" + server.getPort();
        this.extraHeaders = authorization == null ? "" : "Authorization: " + authorization + "\r\n";
        this.connections = connections;
    }

    byte[] post(String pathAndQuery, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + pathAndQuery + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n" + extraHeaders
                + "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] request = Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    byte[] get(String pathAndQuery) {
        return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One request and its connection. */
    private static final class Connection {
        final SocketChannel channel;
        ClientTls.Link link;
        SelectionKey key;
        ByteBuffer out;
        byte[] in = new byte[8192];
        int inLength;
        boolean busy;
        long seq;
        long scheduledMicros;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private record Due(long seq, long scheduledMicros) {
    }

    /**
     * Sends up to {@code count} requests within {@code seconds}, at {@code rate} per second (0: as fast
     * as the connections allow), then waits at most {@code drainSeconds} for the replies.
     */
    Outcome run(Exchange exchange, double rate, long count, double seconds, double drainSeconds) throws IOException {
        Outcome outcome = new Outcome();
        ArrayDeque<Connection> idle = new ArrayDeque<>();
        ArrayDeque<Due> queued = new ArrayDeque<>();
        int[] busy = {0};
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                open(selector, idle, outcome);
            }
            if (idle.isEmpty()) {
                throw new IOException("no connection to " + server + ": " + outcome.errors.keySet());
            }
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long drainEnd = end + (long) (drainSeconds * 1e9);
            double period = rate > 0 ? 1e9 / rate : 0;
            long seq = 0;
            long lastScheduled = start;
            while (true) {
                long now = System.nanoTime();
                boolean generating = seq < count && now < end;
                if (generating && rate > 0) {
                    for (long due = start + (long) (seq * period); seq < count && due <= now && due < end;
                            due = start + (long) (seq * period)) {
                        if (queued.size() < MAX_QUEUED) {
                            queued.add(new Due(seq, EpochMicros.at(due)));
                        } else {
                            outcome.unsent++;
                        }
                        lastScheduled = due;
                        seq++;
                    }
                } else if (generating) {
                    for (int free = idle.size() - queued.size(); free > 0 && seq < count; free--) {
                        queued.add(new Due(seq++, EpochMicros.at(now)));
                        lastScheduled = now;
                    }
                }
                outcome.maxQueued = Math.max(outcome.maxQueued, queued.size());
                while (!queued.isEmpty() && !idle.isEmpty()) {
                    Due d = queued.poll();
                    Connection c = idle.poll();
                    try {
                        send(c, d, exchange.request(d.seq(), d.scheduledMicros()), outcome, busy);
                    } catch (IOException e) {
                        replace(selector, c.key, c, outcome, idle, busy, "send: " + e.getMessage());
                    }
                }
                generating = seq < count && now < end;
                if (!generating && queued.isEmpty() && busy[0] == 0) {
                    break;
                }
                if (!generating && now > drainEnd) {
                    outcome.failed += busy[0] + queued.size();
                    if (busy[0] + queued.size() > 0) {
                        outcome.errors.merge("no reply within the drain time", busy[0] + queued.size(), Integer::sum);
                    }
                    break;
                }
                long waitMillis = 100;
                if (generating && rate > 0) {
                    long next = start + (long) (seq * period) - System.nanoTime();
                    waitMillis = next <= 0 ? -1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next));
                } else if (generating && !idle.isEmpty()) {
                    waitMillis = -1;
                }
                if (waitMillis < 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMillis);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(selector, key, exchange, outcome, idle, busy);
                }
                selector.selectedKeys().clear();
            }
            outcome.seconds = Math.max(1, lastScheduled - start) / 1e9;
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
        return outcome;
    }

    private void open(Selector selector, ArrayDeque<Connection> idle, Outcome outcome) {
        try {
            SocketChannel channel = SocketChannel.open(server);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(channel);
            if (tls != null) {
                handshake(c);
            }
            channel.configureBlocking(false);
            c.key = channel.register(selector, SelectionKey.OP_READ, c);
            idle.add(c);
        } catch (IOException e) {
            outcome.errors.merge("connect: " + e.getMessage(), 1, Integer::sum);
        }
    }

    /** The TLS handshake on the still blocking channel (a server that never answers meets --max-time). */
    private void handshake(Connection c) throws IOException {
        c.link = tls.link();
        c.link.handshake(c.channel);
        while (!c.link.ready()) {
            plain.clear();
            if (c.link.read(c.channel, plain) < 0) {
                c.channel.close();
                throw new IOException("TLS handshake failed");
            }
        }
    }

    private void send(Connection c, Due due, byte[] request, Outcome outcome, int[] busy) throws IOException {
        c.busy = true;
        busy[0]++;
        c.seq = due.seq();
        c.scheduledMicros = due.scheduledMicros();
        c.out = ByteBuffer.wrap(request);
        outcome.sent++;
        if (c.link == null) {
            c.channel.write(c.out);
        } else {
            c.link.write(c.channel, c.out);
        }
        if (c.out.hasRemaining() || c.link != null && c.link.wantsWrite()) {
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void handle(Selector selector, SelectionKey key, Exchange exchange, Outcome outcome,
            ArrayDeque<Connection> idle, int[] busy) {
        Connection c = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                boolean done;
                if (c.link == null) {
                    c.channel.write(c.out);
                    done = !c.out.hasRemaining();
                } else {
                    done = c.link.flush(c.channel);
                }
                if (done) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (!key.isReadable()) {
                return;
            }
            int n = read(c);
            if (n < 0) {
                replace(selector, key, c, outcome, idle, busy, "closed by server");
                return;
            }
            c.inLength += n;
            Reply reply = Reply.parse(c.in, c.inLength);
            if (reply == null || !c.busy) {
                return;
            }
            c.inLength = 0;
            c.busy = false;
            busy[0]--;
            outcome.latency.record(EpochMicros.now() - c.scheduledMicros);
            if (exchange.reply(c.seq, c.scheduledMicros, reply.status, reply.body)) {
                outcome.ok++;
            } else {
                outcome.rejected++;
            }
            if (reply.close) {
                replace(selector, key, c, outcome, idle, busy, null);
            } else {
                idle.add(c);
            }
        } catch (IOException | RuntimeException e) {
            replace(selector, key, c, outcome, idle, busy, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Appends what the connection has to its bytes; -1 at its end. */
    private int read(Connection c) throws IOException {
        if (c.link == null) {
            if (c.inLength == c.in.length) {
                c.in = Arrays.copyOf(c.in, c.in.length * 2);
            }
            return c.channel.read(ByteBuffer.wrap(c.in, c.inLength, c.in.length - c.inLength));
        }
        plain.clear();
        int n = c.link.read(c.channel, plain);
        if (n > 0) {
            if (c.in.length - c.inLength < n) {
                c.in = Arrays.copyOf(c.in, Math.max(c.in.length * 2, c.inLength + n));
            }
            System.arraycopy(plain.array(), 0, c.in, c.inLength, n);
        }
        return n;
    }

    private void replace(Selector selector, SelectionKey key, Connection c, Outcome outcome,
            ArrayDeque<Connection> idle, int[] busy, String error) {
        key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // replaced below
        }
        idle.remove(c);
        if (c.busy) {
            busy[0]--;
            outcome.failed++;
            outcome.errors.merge(error == null ? "closed" : error, 1, Integer::sum);
        }
        open(selector, idle, outcome);
    }

    /** A complete HTTP reply: status, body (chunked bodies decoded), and whether the server closes. */
    record Reply(int status, byte[] body, boolean close) {

        /** The reply in a[0, length), or null while it is incomplete. */
        static Reply parse(byte[] a, int length) {
            int headerEnd = -1;
            for (int i = 0; i + 3 < length; i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    headerEnd = i + 4;
                    break;
                }
            }
            if (headerEnd < 0) {
                return null;
            }
            String[] lines = new String(a, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].substring(9, 12));
            long contentLength = -1;
            boolean chunked = false;
            boolean close = false;
            for (String line : lines) {
                String l = line.toLowerCase(Locale.ROOT);
                if (l.startsWith("content-length:")) {
                    contentLength = Long.parseLong(l.substring(15).trim());
                } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                    chunked = true;
                } else if (l.startsWith("connection:") && l.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                byte[] body = dechunk(a, headerEnd, length);
                return body == null ? null : new Reply(status, body, close);
            }
            if (contentLength < 0) {
                contentLength = 0;
            }
            if (length < headerEnd + contentLength) {
                return null;
            }
            return new Reply(status, Arrays.copyOfRange(a, headerEnd, headerEnd + (int) contentLength), close);
        }

        private static byte[] dechunk(byte[] a, int from, int length) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int p = from;
            while (true) {
                int lineEnd = -1;
                for (int i = p; i + 1 < length; i++) {
                    if (a[i] == '\r' && a[i + 1] == '\n') {
                        lineEnd = i;
                        break;
                    }
                }
                if (lineEnd < 0) {
                    return null;
                }
                String sizeText = new String(a, p, lineEnd - p, StandardCharsets.ISO_8859_1).split(";")[0].trim();
                int size = Integer.parseInt(sizeText, 16);
                p = lineEnd + 2;
                if (length < p + size + 2) {
                    return null;
                }
                if (size == 0) {
                    return body.toByteArray();
                }
                body.write(a, p, size);
                p += size + 2;
            }
        }
    }
}
