package io.pushcluster.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.1:7080, 127.0.0.1, 7080", "'[::1]:7080', '[::1]', 7080", "push.example:1, push.example, 1",
        "0.0.0.0:65535, 0.0.0.0, 65535"})
    void readsHostAndPort(String text, String host, int port) {
        assertEquals(new HostPort(host, port), HostPort.parse("push.x.bind", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7080", ":7080", "host:", "host:0", "host:65536", "host:+80", "host:8o", "host:\u0668\u0660"})
    void refusesWhatIsNotHostColonPort(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("push.x.bind", text));
        assertEquals("push.x.bind must be host:port, not '" + text + "'", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 80, 127.0.0.1:80", "::1, 80, '[::1]:80'", "'[::1]', 80, '[::1]:80'",
        "fe80::1, 8080, '[fe80::1]:8080'"})
    void writesAnIpv6HostInBrackets(String host, int port, String text) {
        assertEquals(text, HostPort.format(host, port));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 127.0.0.1", "'[::1]', ::1", "::1, ::1"})
    void aBareHostHasNoBrackets(String host, String bare) {
        assertEquals(bare, HostPort.bare(host));
    }

    @ParameterizedTest
    @CsvSource({"example.com, example.com", "example.com:8080, example.com", "'[::1]:8080', ::1", "'[::1]', ::1",
        "127.0.0.1:80, 127.0.0.1", "::1, ::1"})
    void theHostOfAHostHeader(String header, String host) {
        assertEquals(host, HostPort.hostOfHeader(header));
    }
}
