package io.pushcluster.web.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.grid.SoloGrid;
import io.pushcluster.web.TestCertificate;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.web.config.TlsSettings;
import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.web.socket.listener.WebSocketListener;
import io.pushcluster.web.tcp.TcpListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the listeners of our own, with a self-signed certificate the test makes with the JDK's
 * keytool: the TCP and WebSocket listeners subscribe and deliver over TLS, large pushes cross several
 * records, plain bytes on a TLS port are refused without harm, and a bad certificate setting fails.
 */
class TlsListenerTest {

    private static final String PASSWORD = TestCertificate.PASSWORD;
    private static Path keystore;
    private static SSLContext client;

    @TempDir
    static Path directory;

    private RunningListener listener;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keystore = TestCertificate.make(directory.resolve("server.p12"), "localhost");
        client = TestCertificate.trusting(keystore);
    }

    private void start(SubscriberListener kind, String bindProperty) throws IOException {
        start(kind, bindProperty, Map.of(TlsSettings.KEYSTORE, keystore.toString(), TlsSettings.PASSWORD, PASSWORD));
    }

    private void start(SubscriberListener kind, String bindProperty, Map<String, String> tls) throws IOException {
        listener = new RunningListener(kind, bindProperty, new HashMap<>(tls), new SoloGrid());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (listener != null) {
            listener.stop();
        }
    }

    private SSLSocket connect() throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                listener.port());
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    private static String read(Socket socket, int bytes) throws IOException {
        return new String(socket.getInputStream().readNBytes(bytes), StandardCharsets.UTF_8);
    }

    @Test
    void theTcpListenerSubscribesAndDeliversOverTls() throws Exception {
        start(new TcpListener(), TransportSettings.TCP_BIND);
        try (SSLSocket socket = connect()) {
            send(socket, "*5\r\n$3\r\nsub\r\n$5\r\nalice\r\n$2\r\n30\r\n$0\r\n\r\n$1\r\n1\r\n");
            assertEquals("+h\r\n", read(socket, 4));
            send(socket, "hh");
            assertEquals("+h\r\n+h\r\n", read(socket, 8));
            String big = "\"" + "x".repeat(60_000) + "\"";
            for (int mid = 1; mid <= 20; mid++) {
                listener.hub().deliver("alice", new PushedMessage(mid, PushedMessage.PRIVATE, mid % 2 == 0 ? big
                        : "{\"n\":" + mid + "}"));
            }
            for (int mid = 1; mid <= 20; mid++) {
                String json = "{\"msg\":" + (mid % 2 == 0 ? big : "{\"n\":" + mid + "}") + ",\"mid\":" + mid + ",\"gid\":0}";
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                assertEquals("$" + body.length + "\r\n" + json + "\r\n", read(socket, ("$" + body.length + "\r\n").length()
                        + body.length + 2), "push " + mid + " whole and in order, across TLS records");
            }
        }
    }

    @Test
    void theWebSocketListenerUpgradesOverTls() throws Exception {
        start(new WebSocketListener(), TransportSettings.WEBSOCKET_BIND);
        try (SSLSocket socket = connect()) {
            send(socket, "GET /sub?key=bob&heartbeat=30&ver=1 HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            String head = new String(socket.getInputStream().readNBytes(129), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertEquals("\u0081\u0004+h\r\n", new String(socket.getInputStream().readNBytes(6), StandardCharsets.ISO_8859_1));
            listener.awaitConnections(1);
            listener.hub().deliver("bob", new PushedMessage(3, PushedMessage.PRIVATE, "{}"));
            String frame = "{\"msg\":{},\"mid\":3,\"gid\":0}";
            assertEquals("\u0081" + (char) frame.length() + frame,
                    new String(socket.getInputStream().readNBytes(2 + frame.length()), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aPemCertificateChainAndPkcs8KeyServeAsTheKeystoreDoes() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Path certificate = Files.writeString(directory.resolve("server.pem"),
                pem("CERTIFICATE", store.getCertificate("push").getEncoded()));
        Path key = Files.writeString(directory.resolve("server.key"),
                pem("PRIVATE KEY", store.getKey("push", PASSWORD.toCharArray()).getEncoded()));
        start(new TcpListener(), TransportSettings.TCP_BIND, Map.of(TlsSettings.CERTIFICATE, certificate.toString(),
                TlsSettings.KEY, key.toString()));
        try (SSLSocket socket = connect()) {
            send(socket, "*3\r\n$3\r\nsub\r\n$5\r\nalice\r\n$2\r\n30\r\n");
            assertEquals("+h\r\n", read(socket, 4));
        }
        Path notPkcs8 = Files.writeString(directory.resolve("rsa.key"), pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        TlsSettings pkcs1 = new TransportSettings(name -> Optional.ofNullable(Map.of(TlsSettings.CERTIFICATE,
                certificate.toString(), TlsSettings.KEY, notPkcs8.toString()).get(name))).tls();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TlsContext.of(pkcs1, "tcp"));
        assertTrue(refused.getMessage().contains("PKCS#8"), refused.getMessage());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void plainBytesOnATlsPortAreRefusedAndTheListenerGoesOn() throws Exception {
        start(new TcpListener(), TransportSettings.TCP_BIND);
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            plain.setSoTimeout(5_000);
            send(plain, "*3\r\n$3\r\nsub\r\n$5\r\nalice\r\n$2\r\n30\r\n");
            byte[] answer = plain.getInputStream().readNBytes(64);
            assertTrue(answer.length == 0 || answer[0] == 0x15, "nothing, or a TLS alert record, never +h");
        }
        assertEquals(0, listener.awaitNoneOpen(), "the refused socket is closed");
        try (SSLSocket socket = connect()) {
            send(socket, "*3\r\n$3\r\nsub\r\n$5\r\nalice\r\n$2\r\n30\r\n");
            assertEquals("+h\r\n", read(socket, 4), "TLS clients are served as before");
        }
    }

    @Test
    void aCertificateSettingThatCannotBeReadFailsAtStart() {
        TlsSettings missing = new TransportSettings(name -> Optional.ofNullable(Map.of(TlsSettings.KEYSTORE,
                directory.resolve("none.p12").toString()).get(name))).tls();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TlsContext.of(missing, "tcp"));
        assertTrue(e.getMessage().contains("none.p12"), e.getMessage());
        for (Map<String, String> bad : List.of(Map.of(TlsSettings.CERTIFICATE, "a.pem"),
                Map.of(TlsSettings.KEYSTORE, "a.p12", TlsSettings.KEY, "k.pem"),
                Map.of(TlsSettings.LISTENERS, "tcp"),
                Map.of(TlsSettings.KEYSTORE, "a.p12", TlsSettings.LISTENERS, "tcp,smtp"))) {
            assertThrows(IllegalArgumentException.class,
                    () -> new TransportSettings(name -> Optional.ofNullable(bad.get(name))), bad.toString());
        }
        assertEquals(Optional.empty(), TlsContext.of(new TransportSettings(name -> Optional.empty()).tls(), "tcp"));
    }
}
