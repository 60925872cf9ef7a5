package io.pushcluster.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushcluster.engine.config.PushSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MembershipTest {

    private static final String REQUEST = "push.example:8080";

    private static Membership with(Map<String, String> values) {
        return new Membership(new PushSettings(name -> Optional.ofNullable(values.get(name))));
    }

    @Test
    void webSocketAnswersTheRequestAddressUnlessConfigured() {
        assertEquals(List.of(REQUEST), with(Map.of()).addressesOf("k", Protocol.WEBSOCKET, REQUEST));
        assertEquals(List.of("a:1", "b:2"), with(Map.of(PushSettings.PUBLIC_WS, "a:1,b:2"))
                .addressesOf("k", Protocol.WEBSOCKET, REQUEST));
    }

    @Test
    void webSocketAnswersItsOwnListenerWhenItIsOn() {
        assertEquals(List.of("127.0.0.1:7080"), with(Map.of(PushSettings.WEBSOCKET_BIND, "127.0.0.1:7080"))
                .addressesOf("k", Protocol.WEBSOCKET, REQUEST));
        for (String any : List.of("0.0.0.0", "[::]")) {
            assertEquals(List.of("push.example:7080"), with(Map.of(PushSettings.WEBSOCKET_BIND, any + ":7080"))
                    .addressesOf("k", Protocol.WEBSOCKET, REQUEST), any);
        }
        assertEquals(List.of("ws.example:443"), with(Map.of(PushSettings.WEBSOCKET_BIND, "127.0.0.1:7080",
                PushSettings.PUBLIC_WS, "ws.example:443")).addressesOf("k", Protocol.WEBSOCKET, REQUEST));
    }

    @Test
    void theCardNamesTheWebSocketListenerInsteadOfTheHttpListener() {
        Map<String, String> http = Map.of(PushSettings.PAYARA_HTTP_ADDRESS, "127.0.0.1",
                PushSettings.PAYARA_HTTP_PORT, "8080");
        assertEquals(List.of("127.0.0.1:8080"), with(http).localCard().webSocket());
        Map<String, String> listener = new HashMap<>(http);
        listener.put(PushSettings.WEBSOCKET_BIND, "[::1]:7080");
        assertEquals(List.of("[::1]:7080"), with(listener).localCard().webSocket());
        listener.put(PushSettings.WEBSOCKET_BIND, "0.0.0.0:7080");
        assertEquals(List.of("127.0.0.1:7080"), with(listener).localCard().webSocket(),
                "the grid's host stands for every interface");
        listener.put(PushSettings.PUBLIC_WS, "ws.example:443");
        assertEquals(List.of("ws.example:443"), with(listener).localCard().webSocket());
    }

    @Test
    void tcpAnswersTheListenerAddressByDefault() {
        assertEquals(List.of("127.0.0.1:6969"), with(Map.of()).addressesOf("k", Protocol.TCP, REQUEST));
        assertEquals(List.of("[::1]:7000"), with(Map.of(PushSettings.TCP_BIND, "[::1]:7000"))
                .addressesOf("k", Protocol.TCP, REQUEST));
    }

    @Test
    void tcpOnEveryInterfaceAnswersTheRequestHostWithTheListenerPort() {
        for (String any : List.of("0.0.0.0", "[::]", "::", "[0:0:0:0:0:0:0:0]")) {
            assertEquals(List.of("push.example:7000"), with(Map.of(PushSettings.TCP_BIND, any + ":7000"))
                    .addressesOf("k", Protocol.TCP, REQUEST), any);
        }
        assertEquals(List.of("[fe80::1]:7000"), with(Map.of(PushSettings.TCP_BIND, "0.0.0.0:7000"))
                .addressesOf("k", Protocol.TCP, "[fe80::1]:8080"));
    }

    @Test
    void configuredTcpAddressesWin() {
        assertEquals(List.of("tcp.example:6969", "tcp2.example:6969"),
                with(Map.of(PushSettings.PUBLIC_TCP, "tcp.example:6969,tcp2.example:6969"))
                        .addressesOf("k", Protocol.TCP, REQUEST));
    }

    @Test
    void tcpDisabledHasNoAddressUnlessConfigured() {
        assertEquals(List.of(), with(Map.of(PushSettings.TCP_ENABLED, "false")).addressesOf("k", Protocol.TCP, REQUEST));
        assertEquals(List.of("tcp.example:6969"), with(Map.of(PushSettings.TCP_ENABLED, "false",
                PushSettings.PUBLIC_TCP, "tcp.example:6969")).addressesOf("k", Protocol.TCP, REQUEST));
    }
}
