package io.pushcluster.web.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.subscribe.SubscribeRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpgradeRequestTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final List<String> ANY_ORIGIN = List.of();

    private static String request(String target, String... headers) {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** The request a browser sends, with more headers. */
    private static String upgrade(String target, String... more) {
        List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1:7080", "Upgrade: websocket",
                "Connection: Upgrade", "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 13"));
        headers.addAll(List.of(more));
        return request(target, headers.toArray(String[]::new));
    }

    private static UpgradeRequest parse(String head, List<String> origins) throws HandshakeRefusal {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        return UpgradeRequest.parse(bytes, bytes.length, origins);
    }

    private static UpgradeRequest parse(String head) throws HandshakeRefusal {
        return parse(head, ANY_ORIGIN);
    }

    private static int statusOf(String head) {
        return assertThrows(HandshakeRefusal.class, () -> parse(head)).status();
    }

    @Test
    void theAcceptKeyIsTheOneOfRfc6455() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeRequest.accept(KEY));
    }

    @Test
    void anUpgradeOfSubKeepsTheSubscribeParametersAndTheKey() throws HandshakeRefusal {
        UpgradeRequest request = parse(upgrade("/sub?key=alice&heartbeat=30&token=t0&ver=1",
                "User-Agent: test", "Cookie: a=b; c=d", "Sec-WebSocket-Extensions: permessage-deflate"));
        assertEquals(new UpgradeRequest("alice", "30", "t0", "1", KEY, Map.of()), request);
        String response = new String(request.switchingProtocols(), StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", response);
    }

    @Test
    void parametersArePercentDecodedAndTheFirstOfEachNameCounts() throws HandshakeRefusal {
        UpgradeRequest request = parse(upgrade("/sub?heartbeat=30&key=caf%C3%A9+au+lait&key=second&ver&other=%41"));
        assertEquals("café au lait", request.key());
        assertEquals("", request.version(), "a name alone is present and empty");
        assertNull(request.token());
        PushSettings settings = new PushSettings(name -> Optional.empty());
        SubscribeRequest subscribe = request.subscribeRequest(settings).orElseThrow();
        assertFalse(subscribe.versioned(), "an empty ver is no version");
        assertTrue(parse(upgrade("/sub?key=a")).subscribeRequest(settings).isEmpty(), "no heartbeat: -p");
        assertTrue(parse(upgrade("/sub")).subscribeRequest(settings).isEmpty(), "no key: -p");
    }

    @Test
    void headerNamesAndTokensAreCaseInsensitiveAndListsAreRead() throws HandshakeRefusal {
        String head = request("/sub?key=a&heartbeat=30", "HOST: h", "upgrade: WebSocket",
                "connection: keep-alive, Upgrade", "sec-websocket-key:" + KEY + "  ", "SEC-WEBSOCKET-VERSION:\t13");
        assertEquals(KEY, parse(head).webSocketKey());
        String split = request("/sub?key=a&heartbeat=30", "Host: h", "Upgrade: websocket", "Connection: keep-alive",
                "Connection: upgrade", "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 13");
        assertEquals(KEY, parse(split).webSocketKey());
    }

    @Test
    void onlySubIsServed() {
        for (String target : List.of("/", "/sub/", "/subscribe", "/SUB", "/1/server/get?k=a&p=1", "/sub%20")) {
            assertEquals(404, statusOf(upgrade(target)), target);
        }
    }

    @Test
    void onlyGetIsAllowed() {
        HandshakeRefusal refusal = assertThrows(HandshakeRefusal.class,
                () -> parse(upgrade("/sub?key=a").replace("GET ", "POST ")));
        assertEquals(405, refusal.status());
        assertTrue(new String(refusal.response(), StandardCharsets.US_ASCII)
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\n"));
    }

    @Test
    void onlyVersion13IsSpoken() {
        HandshakeRefusal refusal = assertThrows(HandshakeRefusal.class,
                () -> parse(upgrade("/sub").replace("Version: 13", "Version: 8")));
        assertEquals(426, refusal.status());
        assertTrue(new String(refusal.response(), StandardCharsets.US_ASCII)
                .contains("\r\nSec-WebSocket-Version: 13\r\n"));
        assertEquals(426, statusOf(upgrade("/sub").replace("Sec-WebSocket-Version: 13\r\n", "")));
    }

    @Test
    void browserOriginsOffTheListAreForbidden() throws HandshakeRefusal {
        List<String> allowed = List.of("https://app.example");
        assertEquals(403, assertThrows(HandshakeRefusal.class,
                () -> parse(upgrade("/sub", "Origin: https://evil.example"), allowed)).status());
        assertEquals(KEY, parse(upgrade("/sub", "Origin: https://app.example"), allowed).webSocketKey());
        assertEquals(KEY, parse(upgrade("/sub"), allowed).webSocketKey(), "no Origin: not a browser");
        assertEquals(KEY, parse(upgrade("/sub", "Origin: https://evil.example"), ANY_ORIGIN).webSocketKey());
    }

    @Test
    void responsesCloseTheConnectionAndHaveNoBody() {
        HandshakeRefusal refusal = assertThrows(HandshakeRefusal.class, () -> parse(upgrade("/other")));
        assertEquals("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                new String(refusal.response(), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /sub HTTP/1.0\r\nHost: h\r\n\r\n",
        "GET /sub\r\n\r\n",
        "GET  /sub HTTP/1.1\r\n\r\n",
        "GET /sub HTTP/1.1 extra\r\n\r\n",
        "G(T /sub HTTP/1.1\r\n\r\n",
        "\r\n\r\n",
        "\u0016\u0003\u0001\u0002\u0000\r\n\r\n",
        "GET /s\u00ffb HTTP/1.1\r\n\r\n",
    })
    void malformedRequestLinesAreBadRequests(String head) {
        assertEquals(400, statusOf(head));
    }

    @Test
    void malformedOrIncompleteUpgradesAreBadRequests() {
        String valid = upgrade("/sub?key=a&heartbeat=30");
        List<String> invalid = List.of(
                valid.replace("Host: 127.0.0.1:7080\r\n", ""),
                valid.replace("Upgrade: websocket\r\n", ""),
                valid.replace("Upgrade: websocket", "Upgrade: h2c"),
                valid.replace("Connection: Upgrade", "Connection: keep-alive"),
                valid.replace("Sec-WebSocket-Key: " + KEY + "\r\n", ""),
                valid.replace(KEY, "not base64!"),
                valid.replace(KEY, "c2hvcnQ="),
                upgrade("/sub", "Sec-WebSocket-Key: " + KEY),
                upgrade("/sub", "Host: twice"),
                upgrade("/sub", "Origin: a", "Origin: b"),
                upgrade("/sub", " folded: line"),
                upgrade("/sub", "No-Colon"),
                upgrade("/sub", ": no name"),
                upgrade("/sub", "Bad Name: x"),
                upgrade("/sub", "Nul: a\u0000b"),
                upgrade("/sub", "Bare: a\nb"),
                upgrade("/sub?key=%ZZ&heartbeat=30"),
                upgrade("/sub?key=a%2&heartbeat=30"));
        for (String head : invalid) {
            assertEquals(400, statusOf(head), head);
        }
    }

    /** A request an HTTP server has read already, as the {@code /sub} servlet sees it: values by header name. */
    private static UpgradeRequest check(Map<String, List<String>> headers, String query) throws HandshakeRefusal {
        return UpgradeRequest.check(name -> headers.getOrDefault(name, List.of()), query, ANY_ORIGIN);
    }

    private static Map<String, List<String>> servletHeaders() {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("host", List.of("127.0.0.1:8080"));
        headers.put("upgrade", List.of("websocket"));
        headers.put("connection", List.of("keep-alive", "Upgrade"));
        headers.put("sec-websocket-key", List.of(KEY));
        headers.put("sec-websocket-version", List.of("13"));
        return headers;
    }

    @Test
    void aRequestReadByTheContainerIsJudgedByTheSameRules() throws HandshakeRefusal {
        UpgradeRequest request = check(servletHeaders(), "key=alice&heartbeat=30&ver=1");
        assertEquals("alice", request.key());
        assertEquals("30", request.heartbeat());
        assertEquals("1", request.version());
        assertEquals(KEY, request.webSocketKey());
        assertNull(check(servletHeaders(), null).key());
    }

    @Test
    void aRequestReadByTheContainerIsRefusedAsTheListenerRefusesIt() {
        Map<String, List<String>> twoHosts = servletHeaders();
        twoHosts.put("host", List.of("a", "b"));
        Map<String, List<String>> keepAlive = servletHeaders();
        keepAlive.put("connection", List.of("keep-alive"));
        keepAlive.remove("upgrade");
        Map<String, List<String>> version8 = servletHeaders();
        version8.put("sec-websocket-version", List.of("8"));
        assertEquals(400, assertThrows(HandshakeRefusal.class, () -> check(twoHosts, "key=a&heartbeat=30")).status());
        assertEquals(400, assertThrows(HandshakeRefusal.class, () -> check(keepAlive, "key=a&heartbeat=30")).status());
        assertEquals(426, assertThrows(HandshakeRefusal.class, () -> check(version8, "key=a&heartbeat=30")).status());
        assertEquals(400, assertThrows(HandshakeRefusal.class,
                () -> check(servletHeaders(), "key=%zz&heartbeat=30")).status());
    }
}
