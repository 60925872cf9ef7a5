package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.web.TestCertificate;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS on every listener of our own, on a running Payara Micro member given a PKCS#12 keystore the test
 * made: {@code wss:} on the WebSocket listener, {@code https:} on the HTTP listener, TLS on the TCP
 * listener; {@code /1/server/get} says to use TLS, and the browser client then connects with
 * {@code wss:}; plain bytes on a TLS port are refused and the member goes on; a renewed certificate is
 * used for new connections without a restart.
 */
class TlsIT {

    private static final long WAIT = 10_000;
    private static final Path KEYSTORE = keystore();

    @RegisterExtension
    static final MicroCluster NODE = MicroCluster.of(1).withDefaultListeners()
            .with("push.tls.keystore", KEYSTORE.toString())
            .with("push.tls.keystore-password", TestCertificate.PASSWORD);

    private static Path keystore() {
        try {
            Path directory = Files.createTempDirectory("push-tls-it");
            return TestCertificate.make(directory.resolve("server.p12"), "first");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int payara() {
        return NODE.member("m1").httpPort();
    }

    private static HttpClient https() throws Exception {
        return HttpClient.newBuilder().sslContext(TestCertificate.trusting(KEYSTORE))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static SSLSocket tls(int port, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) WAIT);
        socket.startHandshake();
        return socket;
    }

    @Test
    void everyListenerSpeaksTlsAndServerGetSaysSo() throws Exception {
        HttpClient client = https();
        String key = "tls-" + System.nanoTime();
        JsonObject lookup = json(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + (payara() + 2000)
                + "/1/server/get?k=" + key + "&p=1")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("127.0.0.1:" + (payara() + 1000), lookup.getJsonObject("data").getString("server"));
        assertTrue(lookup.getJsonObject("data").getBoolean("tls"), lookup.toString());
        JsonObject tcpLookup = NODE.member("m1").http().get("/1/server/get?k=" + key + "&p=2").json();
        assertTrue(tcpLookup.getJsonObject("data").getBoolean("tls"), tcpLookup.toString());

        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + (payara() + 1000)
                + "/sub?key=" + key + "&heartbeat=30&ver=1"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        socket.request(1);
                        return null;
                    }
                }).get(WAIT, TimeUnit.MILLISECONDS);
        try (SSLSocket tcp = tls(payara() + 3000, TestCertificate.trusting(KEYSTORE))) {
            assertEquals("+h\r\n", frames.poll(WAIT, TimeUnit.MILLISECONDS));
            tcp.getOutputStream().write(TcpClient.command("sub", key, "30", "1"));
            assertEquals("+h\r\n", new String(tcp.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));

            HttpResponse<String> pushed = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + (payara() + 2000) + "/1/admin/push/private?key=" + key + "&expire=0"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"over\":\"tls\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(0, json(pushed.body()).getInt("ret"), pushed.body());
            String frame = frames.poll(WAIT, TimeUnit.MILLISECONDS);
            assertTrue(frame != null && frame.contains("\"over\":\"tls\""), frame);
            String head = new String(tcp.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
            assertTrue(head.startsWith("$"), "a push frame on TLS TCP: " + head);
        } finally {
            ws.abort();
        }
    }

    @Test
    void plainRequestsOnTlsPortsAreRefusedAndTheMemberGoesOn() throws Exception {
        for (int port : new int[] {payara() + 1000, payara() + 2000, payara() + 3000}) {
            RawHttp.Reply reply = RawHttp.send(port, "GET /1/time/get HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(0, reply.status(), "no plain HTTP answer on the TLS port " + port + ": " + reply.text());
        }
        assertEquals(200, NODE.member("m1").http().get("/1/time/get").status(), "Payara's port goes on");
        HttpResponse<String> time = https().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + (payara() + 2000) + "/1/time/get")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, time.statusCode());
    }

    @Test
    void aRenewedCertificateIsUsedForNewConnectionsWithoutARestart() throws Exception {
        assertEquals("CN=first", peerName(TestCertificate.trusting(KEYSTORE)));
        Path renewed = TestCertificate.make(KEYSTORE.resolveSibling("renewed.p12"), "second");
        Files.copy(renewed, KEYSTORE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(KEYSTORE, FileTime.from(Instant.now().plusSeconds(5)));
        SSLContext trustsRenewed = TestCertificate.trusting(KEYSTORE);
        Await.until(Duration.ofSeconds(15), () -> {
            try {
                return "CN=second".equals(peerName(trustsRenewed));
            } catch (IOException notYet) {
                return false;
            }
        }, () -> "the listener never presented the renewed certificate");
    }

    /**
     * The browser client once over TLS: the demo page, on Payara's plain port, learns from
     * {@code /1/server/get} that the WebSocket listener speaks TLS and subscribes with {@code wss:}
     * (Chromium told to accept the test's certificate, which nobody vouches for).
     */
    @Test
    void theBrowserClientSubscribesWithWssWhenTheListenerSpeaksTls() throws IOException {
        BrowserRun.run("http://127.0.0.1:" + payara(), Map.of("E2E_ONLY", "wss", "E2E_IGNORE_CERTIFICATE_ERRORS", "1"),
                "e2e-wss.log");
    }

    private static String peerName(SSLContext context) throws IOException {
        try (SSLSocket socket = tls(payara() + 3000, context)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }
}
