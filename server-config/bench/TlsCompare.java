import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The same load over TLS and over plain TCP, to compare the two on the listeners of our own: N
 * WebSocket subscribers (one thread each, blocking sockets) on the WebSocket listener, and P pushers
 * posting keyed pushes to the HTTP listener as fast as they are answered, for S seconds. Prints pushes
 * and deliveries per second and the delivery latency (from the time written in each message), then
 * holds the subscribers for H seconds (for a class histogram of the server). The project's load client
 * speaks no TLS; this is the like-for-like client for the TLS figures in results.md.
 *
 *   java server-config/bench/TlsCompare.java WS_PORT HTTP_PORT tls|plain KEYSTORE.p12 PASSWORD SUBS PUSHERS SECONDS HOLD
 *
 * Loopback only; every loop is bounded by the seconds given.
 */
public class TlsCompare {

    public static void main(String[] args) throws Exception {
        int wsPort = Integer.parseInt(args[0]);
        int httpPort = Integer.parseInt(args[1]);
        boolean tls = args[2].equals("tls");
        SSLContext context = tls ? trusting(Path.of(args[3]), args[4]) : null;
        int subscribers = Integer.parseInt(args[5]);
        int pushers = Integer.parseInt(args[6]);
        int seconds = Integer.parseInt(args[7]);
        int hold = Integer.parseInt(args[8]);

        AtomicLong delivered = new AtomicLong();
        long[] latencies = new long[4_000_000];
        AtomicLong latencyCount = new AtomicLong();
        CountDownLatch subscribed = new CountDownLatch(subscribers);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            Socket socket = tls ? context.getSocketFactory().createSocket() : new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", wsPort), 5_000);
            socket.setSoTimeout((seconds + hold + 60) * 1000);
            sockets.add(socket);
            String key = "tls-cmp-" + i;
            Thread reader = new Thread(() -> read(socket, key, subscribed, delivered, latencies, latencyCount));
            reader.setDaemon(true);
            reader.start();
        }
        if (!subscribed.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("subscribed " + (subscribers - subscribed.getCount()) + " of " + subscribers);
        }
        System.out.println("subscribed " + subscribers + (tls ? " over TLS" : " plain"));

        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls) {
            builder.sslContext(context);
        }
        HttpClient http = builder.build();
        String base = (tls ? "https" : "http") + "://127.0.0.1:" + httpPort + "/1/admin/push/private?expire=0&key=tls-cmp-";
        AtomicLong pushed = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pushers; p++) {
            int first = p;
            Thread pusher = new Thread(() -> {
                int i = first;
                while (System.nanoTime() < end) {
                    long micros = Instant.EPOCH.until(Instant.now(), ChronoUnit.MICROS);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + (i % subscribers)))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"t\":" + micros + "}")).build();
                    try {
                        if (http.send(request, HttpResponse.BodyHandlers.ofString()).body().contains("\"ret\":0")) {
                            pushed.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                    i += pushers;
                }
            });
            pusher.start();
            threads.add(pusher);
        }
        for (Thread pusher : threads) {
            pusher.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.get() < pushed.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        int count = (int) Math.min(latencyCount.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        System.out.printf("%s: pushed %d (%.0f/s), delivered %d (%.0f/s), latency p50 %.2f ms p99 %.2f ms%n",
                tls ? "tls" : "plain", pushed.get(), pushed.get() / (double) seconds, delivered.get(),
                delivered.get() / (double) seconds, count == 0 ? 0 : sorted[count / 2] / 1000.0,
                count == 0 ? 0 : sorted[(int) (count * 0.99)] / 1000.0);
        System.out.println("holding " + subscribers + " for " + hold + " s");
        Thread.sleep(hold * 1000L);
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private static void read(Socket socket, String key, CountDownLatch subscribed, AtomicLong delivered,
            long[] latencies, AtomicLong latencyCount) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /sub?key=" + key + "&heartbeat=600&ver=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            boolean first = true;
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                int length = in.readUnsignedByte() & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = (int) in.readLong();
                }
                byte[] payload = in.readNBytes(length);
                if (opcode != 1) {
                    return;
                }
                if (first) {
                    first = false;
                    subscribed.countDown();
                    continue;
                }
                String text = new String(payload, StandardCharsets.UTF_8);
                int t = text.indexOf("\"t\":");
                if (t >= 0) {
                    long sent = Long.parseLong(text.substring(t + 4, text.indexOf('}', t)));
                    long now = Instant.EPOCH.until(Instant.now(), ChronoUnit.MICROS);
                    long slot = latencyCount.getAndIncrement();
                    if (slot < latencies.length) {
                        latencies[(int) slot] = now - sent;
                    }
                }
                delivered.incrementAndGet();
            }
        } catch (IOException e) {
            // the run is over, or the server closed the connection
        }
    }

    private static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
