package io.pushcluster.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading request heads for the HTTP listener: what is accepted, and the status of what is not. */
class HttpRequestTest {

    private static final int MAX_HEAD = 512;
    private static final int MAX_BODY = 100;

    private static HttpRequest parse(String text) throws HttpRefusal {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return HttpRequest.head(bytes, bytes.length, MAX_HEAD, MAX_BODY);
    }

    @Test
    void readsMethodPathDecodedQueryHeadersAndBody() throws Exception {
        String text = "POST /1/admin/push/private?key=a%20b+c&expire=0&key=second&flag HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}GET";
        HttpRequest request = parse(text);
        assertEquals("POST", request.method());
        assertEquals("/1/admin/push/private", request.path());
        assertEquals("a b c", request.query("key"), "the first value wins");
        assertEquals("0", request.query("expire"));
        assertEquals("", request.query("flag"));
        assertNull(request.query("missing"));
        assertEquals("application/json", request.header("content-type"));
        assertTrue(request.keepAlive());
        assertEquals(text.length() - 3, request.length(), "the bytes after the body are the next request's");
        request.body(text.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("{\"a\":1}", new String(request.body().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void anIncompleteHeadIsNotARequestYet() throws HttpRefusal {
        assertNull(parse("GET /1/time/get HTTP/1.1\r\nHost: a\r\n"));
        assertNull(parse("GET /1/time/get HTTP/1.1\r\nHost: a\r\n\r"));
        assertNotNull(parse("GET /1/time/get HTTP/1.1\r\nHost: a\r\n\r\n"));
    }

    @Test
    void keepAliveFollowsTheVersionAndTheConnectionHeader() throws HttpRefusal {
        assertFalse(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepAlive());
        assertFalse(parse("GET / HTTP/1.0\r\n\r\n").keepAlive());
        assertTrue(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive());
        assertTrue(parse("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n").expectsContinue());
    }

    /** {@code ~} stands for CRLF: CSV sources trim line ends. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET /x HTTP/1.1~Content-Length: 101~~|413",
        "GET /x HTTP/1.1~Content-Length: -1~~|400",
        "GET /x HTTP/1.1~Content-Length: 99999999999~~|413",
        "GET /x HTTP/1.1~Content-Length: +5~~|400",
        "GET /x HTTP/1.1~Content-Length: \u0661~~|400",
        "GET /x HTTP/1.1~Content-Length: 1~Content-Length: 2~~|400",
        "GET /x HTTP/1.1~Transfer-Encoding: chunked~~|411",
        "GET /x HTTP/1.1~Expect: something~~|417",
        "GET /x HTTP/2.0~~|505",
        "GET /x HTTP/1.1x~~|400",
        "GET /x HTTX/1.1~~|400",
        "GET /x http/1.1~~|400",
        "GET /x HTTP/11~~|400",
        "GET x HTTP/1.1~~|400",
        "GET  /x HTTP/1.1~~|400",
        "G(T /x HTTP/1.1~~|400",
        "GET /x HTTP/1.1~ folded~~|400",
        "GET /x HTTP/1.1~No colon~~|400",
        "GET /x?k=%ZZ HTTP/1.1~~|400",
        "~~|400"})
    void refusesWhatCannotBeReadSafely(String text, int status) {
        HttpRefusal refusal = assertThrows(HttpRefusal.class, () -> parse(text.replace("~", "\r\n")));
        assertEquals(status, refusal.status(), refusal.getMessage());
    }

    @Test
    void aHeadLongerThanTheLimitIsRefusedWithoutWaitingForItsEnd() {
        HttpRefusal refusal = assertThrows(HttpRefusal.class,
                () -> parse("GET /x HTTP/1.1\r\nX: " + "y".repeat(MAX_HEAD)));
        assertEquals(431, refusal.status());
        assertEquals(431, assertThrows(HttpRefusal.class,
                () -> parse("GET /x HTTP/1.1\r\n" + "A: b\r\n".repeat(70) + "\r\n")).status());
    }

    @Test
    void randomBytesAreEitherIncompleteARequestOrARefusal() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (random.nextBoolean()) {
                byte[] prefix = "GET /1/time/get?k=".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(prefix, 0, bytes, 0, Math.min(prefix.length, bytes.length));
            }
            if (bytes.length > 4 && random.nextBoolean()) {
                bytes[bytes.length - 4] = '\r';
                bytes[bytes.length - 3] = '\n';
                bytes[bytes.length - 2] = '\r';
                bytes[bytes.length - 1] = '\n';
            }
            try {
                HttpRequest.head(bytes, bytes.length, MAX_HEAD, MAX_BODY);
            } catch (HttpRefusal e) {
                assertTrue(e.status() >= 400 && e.status() < 600, e.getMessage());
            }
        }
    }
}
