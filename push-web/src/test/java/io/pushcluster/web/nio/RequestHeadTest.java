package io.pushcluster.web.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request head both listeners of our own parse: what is HTTP/1.x and what is not. */
class RequestHeadTest {

    private static RequestHead parse(String head) throws RequestHead.Malformed {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        int end = RequestHead.end(bytes, 0, bytes.length);
        assertTrue(end > 0, "the test's head has its blank line");
        return RequestHead.parse(bytes, end);
    }

    @Test
    void theEndOfAHeadIsFoundWhereverItFalls() {
        byte[] head = "GET /sub HTTP/1.1\r\n\r\nafter".getBytes(StandardCharsets.US_ASCII);
        assertEquals(21, RequestHead.end(head, 0, head.length));
        assertEquals(21, RequestHead.end(head, 18, head.length), "the blank line began before the new bytes");
        assertEquals(-1, RequestHead.end(head, 0, 20), "only the bytes given are searched");
        byte[] cut = "GET /sub HTTP/1.1\r\n\r".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, RequestHead.end(cut, 0, cut.length));
        byte[] bare = "GET /\n\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, RequestHead.end(bare, 0, bare.length));
        assertEquals(-1, RequestHead.end(new byte[0], 0, 0));
    }

    @Test
    void partsOfAWellFormedHead() throws RequestHead.Malformed {
        RequestHead head = parse("POST /1/admin/push/private?key=a%20b&expire=30 HTTP/1.0\r\n"
                + "Host: push.example\r\nX-Twice: one\r\nx-twice:\ttwo \r\nEmpty:\r\n\r\n");
        assertEquals("POST", head.method());
        assertEquals("HTTP/1.0", head.version());
        assertEquals("/1/admin/push/private", head.path());
        assertEquals("key=a%20b&expire=30", head.query(), "the query is left raw");
        assertEquals("push.example", head.first("host"));
        assertEquals(List.of("one", "two"), head.values("x-twice"), "names in any case, values in order");
        assertEquals("", head.first("empty"));
        assertNull(head.first("absent"));
        assertEquals(List.of(), head.values("absent"));
        assertEquals("", parse("GET /sub HTTP/1.1\r\n\r\n").query());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /sub HTTP/1.1 extra\r\n\r\n",
        "GET  /sub HTTP/1.1\r\n\r\n",
        "GET /sub\r\n\r\n",
        "G(T /sub HTTP/1.1\r\n\r\n",
        " /sub HTTP/1.1\r\n\r\n",
        "GET /s\u00e9 HTTP/1.1\r\n\r\n",
        "GET /sub HTTX/1.1\r\n\r\n",
        "GET /sub HTTP/11\r\n\r\n",
        "GET /sub HTTP/1.1\r\nNo colon\r\n\r\n",
        "GET /sub HTTP/1.1\r\n: no name\r\n\r\n",
        "GET /sub HTTP/1.1\r\nBad name: x\r\n\r\n",
        "GET /sub HTTP/1.1\r\nHost: a\u0001b\r\n\r\n",
        "GET /sub HTTP/1.1\r\nHost: a\u007fb\r\n\r\n",
    })
    void malformedHeadsAreRefusedWith400(String head) {
        RequestHead.Malformed e = assertThrows(RequestHead.Malformed.class, () -> parse(head));
        assertEquals(400, e.status());
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void moreThanSixtyFourFieldsAreRefusedWith431() throws RequestHead.Malformed {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < RequestHead.MAX_FIELDS; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        assertEquals("v", parse(head + "\r\n").first("x-63"), "64 fields are fine");
        RequestHead.Malformed e = assertThrows(RequestHead.Malformed.class,
                () -> parse(head + "X-64: v\r\n\r\n"));
        assertEquals(431, e.status());
    }

    @Test
    void tokensInCommaSeparatedValuesAreFoundInAnyCase() {
        assertTrue(RequestHead.hasToken("keep-alive, Upgrade", "upgrade"));
        assertTrue(RequestHead.hasToken("websocket", "WebSocket"));
        assertFalse(RequestHead.hasToken("upgraded", "upgrade"));
        assertFalse(RequestHead.hasToken(null, "upgrade"));
    }
}
