package io.pushcluster.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushcluster.engine.config.PushSettings;
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
