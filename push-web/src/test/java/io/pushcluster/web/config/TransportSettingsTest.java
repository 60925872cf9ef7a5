package io.pushcluster.web.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.config.HostPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransportSettingsTest {

    private static TransportSettings with(Map<String, String> values) {
        return new TransportSettings(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void defaultsMatchTheReadme() {
        TransportSettings s = with(Map.of());
        assertEquals(List.of(), s.publicWebSocket());
        assertEquals(List.of(), s.publicTcp());
        assertEquals(List.of(), s.origins());
        assertTrue(s.tcpEnabled());
        assertEquals(new HostPort("127.0.0.1", 6969), s.tcpBind());
        assertFalse(s.tcpKeepalive());
        assertEquals(1024, s.tcpCommandMaxBytes());
        assertEquals(19_000, s.tcpMaxConnections());
        assertFalse(s.webSocketEnabled());
        assertEquals(19_000, s.webSocketMaxConnections());
        assertEquals(19_000, s.subMaxConnections());
        assertEquals(8192, s.webSocketHandshakeMaxBytes());
        assertFalse(s.httpListenerEnabled());
        assertEquals(4096, s.httpMaxConnections());
        assertEquals(8192, s.httpHeadMaxBytes());
        assertEquals(32, s.httpWorkers());
        assertEquals(60, s.httpIdleTimeoutSeconds());
        assertEquals("", s.httpHost());
        assertEquals(0, s.httpPort());
    }

    @Test
    void overridesAreRead() {
        TransportSettings s = with(Map.ofEntries(
                Map.entry(TransportSettings.PUBLIC_WS, "a.example:8080,b.example:8080"),
                Map.entry(TransportSettings.PUBLIC_TCP, "a.example:6969"),
                Map.entry(TransportSettings.ORIGINS, "https://app.example"),
                Map.entry(TransportSettings.TCP_ENABLED, "false"),
                Map.entry(TransportSettings.TCP_BIND, "0.0.0.0:7070"),
                Map.entry(TransportSettings.TCP_KEEPALIVE, "true"),
                Map.entry(TransportSettings.TCP_COMMAND_MAX_BYTES, "512"),
                Map.entry(TransportSettings.TCP_MAX_CONNECTIONS, "100"),
                Map.entry(TransportSettings.WEBSOCKET_BIND, "127.0.0.1:7080"),
                Map.entry(TransportSettings.WEBSOCKET_MAX_CONNECTIONS, "200"),
                Map.entry(TransportSettings.SUB_MAX_CONNECTIONS, "300"),
                Map.entry(TransportSettings.WEBSOCKET_HANDSHAKE_MAX_BYTES, "2048"),
                Map.entry(TransportSettings.HTTP_BIND, "[::1]:7090"),
                Map.entry(TransportSettings.HTTP_WORKERS, "4"),
                Map.entry(TransportSettings.PAYARA_HTTP_ADDRESS, "10.0.0.5"),
                Map.entry(TransportSettings.PAYARA_HTTP_PORT, "28080")));
        assertEquals(List.of("a.example:8080", "b.example:8080"), s.publicWebSocket());
        assertEquals(List.of("a.example:6969"), s.publicTcp());
        assertEquals(List.of("https://app.example"), s.origins());
        assertFalse(s.tcpEnabled());
        assertEquals(new HostPort("0.0.0.0", 7070), s.tcpBind());
        assertTrue(s.tcpKeepalive());
        assertEquals(512, s.tcpCommandMaxBytes());
        assertEquals(100, s.tcpMaxConnections());
        assertTrue(s.webSocketEnabled());
        assertEquals(new HostPort("127.0.0.1", 7080), s.webSocketBind());
        assertEquals(200, s.webSocketMaxConnections());
        assertEquals(300, s.subMaxConnections());
        assertEquals(2048, s.webSocketHandshakeMaxBytes());
        assertTrue(s.httpListenerEnabled());
        assertEquals(new HostPort("[::1]", 7090), s.httpBind());
        assertEquals(4, s.httpWorkers());
        assertEquals("10.0.0.5", s.httpHost());
        assertEquals(28080, s.httpPort());
    }

    @Test
    void bindsTakeIpv6HostsInBracketsAndBlankIsTheDefault() {
        assertEquals(new HostPort("[::1]", 6969), with(Map.of(TransportSettings.TCP_BIND, "[::1]:6969")).tcpBind());
        assertEquals(new HostPort("[::1]", 7080),
                with(Map.of(TransportSettings.WEBSOCKET_BIND, "[::1]:7080")).webSocketBind());
        assertFalse(with(Map.of(TransportSettings.WEBSOCKET_BIND, "  ")).webSocketEnabled());
        assertFalse(with(Map.of(TransportSettings.HTTP_BIND, "")).httpListenerEnabled());
        assertEquals(new HostPort("127.0.0.1", 9080), with(Map.of(TransportSettings.WEBSOCKET_BIND, " ",
                TransportSettings.PAYARA_HTTP_ADDRESS, "127.0.0.1", TransportSettings.PAYARA_HTTP_PORT, "8080")).webSocketBind());
    }

    @Test
    void inPayaraEachListenerListensOnPayarasHttpAddressAndPortPlusItsOffset() {
        TransportSettings s = with(Map.of(TransportSettings.PAYARA_HTTP_ADDRESS, "127.0.0.1",
                TransportSettings.PAYARA_HTTP_PORT, "28180"));
        assertTrue(s.webSocketEnabled());
        assertEquals(new HostPort("127.0.0.1", 29180), s.webSocketBind());
        assertTrue(s.httpListenerEnabled());
        assertEquals(new HostPort("127.0.0.1", 30180), s.httpBind());
        assertTrue(s.tcpEnabled());
        assertEquals(new HostPort("127.0.0.1", 31180), s.tcpBind());
        assertEquals(Map.of(TransportSettings.WEBSOCKET_BIND, s.webSocketBind(), TransportSettings.HTTP_BIND, s.httpBind(),
                TransportSettings.TCP_BIND, s.tcpBind()), s.derivedListeners());
        assertEquals("127.0.0.1:29180", s.effective().get(TransportSettings.WEBSOCKET_BIND));
        // a second instance on the host, with the next HTTP port, clashes with none of them
        TransportSettings next = with(Map.of(TransportSettings.PAYARA_HTTP_ADDRESS, "127.0.0.1",
                TransportSettings.PAYARA_HTTP_PORT, "28280"));
        assertEquals(List.of(29280, 30280, 31280),
                List.of(next.webSocketBind().port(), next.httpBind().port(), next.tcpBind().port()));
    }

    @Test
    void payarasAddressIsTakenAsItIsAndLoopbackWhenUnknown() {
        assertEquals(new HostPort("[::1]", 9080), with(Map.of(TransportSettings.PAYARA_HTTP_ADDRESS, "::1",
                TransportSettings.PAYARA_HTTP_PORT, "8080")).webSocketBind());
        assertEquals(new HostPort("0.0.0.0", 9080), with(Map.of(TransportSettings.PAYARA_HTTP_ADDRESS, "0.0.0.0",
                TransportSettings.PAYARA_HTTP_PORT, "8080")).webSocketBind());
        assertEquals(new HostPort("127.0.0.1", 11080), with(Map.of(TransportSettings.PAYARA_HTTP_PORT, "8080")).tcpBind(),
                "Payara's address unknown: loopback, never every interface by guess");
    }

    @Test
    void offTurnsEachListenerOffAndASetAddressIsNotDerived() {
        TransportSettings s = with(Map.of(TransportSettings.PAYARA_HTTP_PORT, "8080",
                TransportSettings.WEBSOCKET_BIND, "off", TransportSettings.HTTP_BIND, "OFF", TransportSettings.TCP_BIND, "off"));
        assertFalse(s.webSocketEnabled());
        assertFalse(s.httpListenerEnabled());
        assertFalse(s.tcpEnabled());
        assertEquals("off", s.effective().get(TransportSettings.WEBSOCKET_BIND));
        assertEquals(Map.of(), s.derivedListeners());
        TransportSettings set = with(Map.of(TransportSettings.PAYARA_HTTP_PORT, "8080",
                TransportSettings.WEBSOCKET_BIND, "127.0.0.1:7000"));
        assertEquals(new HostPort("127.0.0.1", 7000), set.webSocketBind());
        assertEquals(java.util.Set.of(TransportSettings.HTTP_BIND, TransportSettings.TCP_BIND), set.derivedListeners().keySet());
    }

    @Test
    void aDerivedPortPastTheLastPortIsOff() {
        TransportSettings s = with(Map.of(TransportSettings.PAYARA_HTTP_PORT, "63000"));
        assertEquals(64000, s.webSocketBind().port());
        assertEquals(65000, s.httpBind().port());
        assertFalse(s.tcpEnabled(), "63000 + 3000 is no port");
    }

    @Test
    void aDerivedAddressInUseIsLeftOffWhileTheOthersAndSetOnesStay() {
        TransportSettings s = TransportSettingsProducer.read(name -> Optional.ofNullable(Map.of(
                TransportSettings.PAYARA_HTTP_ADDRESS, "127.0.0.1", TransportSettings.PAYARA_HTTP_PORT, "8080",
                TransportSettings.TCP_BIND, "127.0.0.1:7000").get(name)), bind -> bind.port() != 9080);
        assertFalse(s.webSocketEnabled(), "9080 is in use");
        assertEquals("off", s.effective().get(TransportSettings.WEBSOCKET_BIND));
        assertEquals(new HostPort("127.0.0.1", 10080), s.httpBind());
        assertEquals(new HostPort("127.0.0.1", 7000), s.tcpBind());
        TransportSettings setInUse = TransportSettingsProducer.read(name -> Optional.ofNullable(Map.of(
                TransportSettings.WEBSOCKET_BIND, "127.0.0.1:9080").get(name)), bind -> false);
        assertTrue(setInUse.webSocketEnabled(), "a set address is bound, and fails the deployment when it cannot be");
    }

    @Test
    void theProducersProbeTellsAFreeAddressFromOneInUse() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertFalse(TransportSettingsProducer.bindable(new HostPort("127.0.0.1", taken.getLocalPort())));
        }
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        assertTrue(TransportSettingsProducer.bindable(new HostPort("127.0.0.1", free)));
    }

    @ParameterizedTest
    @CsvSource({"push.tcp.bind, localhost", "push.tcp.bind, :6969", "push.tcp.bind, host:", "push.tcp.bind, host:0",
        "push.tcp.bind, host:65536", "push.tcp.bind, host:-1", "push.tcp.bind, host:69x",
        "push.tcp.bind, host:123456", "push.websocket.bind, localhost", "push.websocket.bind, host:70x",
        "push.http.bind, :7090", "push.limit.tcp-command-bytes, 0", "push.limit.tcp-connections, many",
        "push.limit.websocket-connections, 0", "push.limit.websocket-handshake-bytes, 8k",
        "push.limit.sub-connections, -1", "push.http.workers, 0", "push.http.idle-timeout, x"})
    void invalidValuesAreRejectedNamingTheProperty(String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with(Map.of(name, value)));
        assertTrue(e.getMessage().contains(name), () -> "message does not name " + name + ": " + e.getMessage());
    }

    @Test
    void effectiveListsEveryTransportSetting() {
        Map<String, String> effective = with(Map.of(TransportSettings.TCP_BIND, "127.0.0.1:7000")).effective();
        assertEquals("127.0.0.1:7000", effective.get(TransportSettings.TCP_BIND));
        for (String name : List.of(TransportSettings.PUBLIC_WS, TransportSettings.PUBLIC_TCP, TransportSettings.ORIGINS,
                TransportSettings.TCP_ENABLED, TransportSettings.TCP_KEEPALIVE, TransportSettings.TCP_COMMAND_MAX_BYTES,
                TransportSettings.TCP_MAX_CONNECTIONS, TransportSettings.WEBSOCKET_BIND,
                TransportSettings.WEBSOCKET_MAX_CONNECTIONS, TransportSettings.SUB_MAX_CONNECTIONS,
                TransportSettings.WEBSOCKET_HANDSHAKE_MAX_BYTES, TransportSettings.HTTP_BIND,
                TransportSettings.HTTP_MAX_CONNECTIONS, TransportSettings.HTTP_HEAD_MAX_BYTES,
                TransportSettings.HTTP_WORKERS, TransportSettings.HTTP_IDLE_TIMEOUT)) {
            assertTrue(effective.containsKey(name), "effective() lacks " + name);
        }
    }
}
