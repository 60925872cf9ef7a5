package io.pushcluster.web.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CidrTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void blocksOfBothFamiliesHoldWhatTheirPrefixCovers() throws Exception {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertTrue(ten.contains(ip("10.255.1.2")));
        assertFalse(ten.contains(ip("11.0.0.1")));
        Cidr odd = Cidr.parse("192.168.1.77/26");
        assertTrue(odd.contains(ip("192.168.1.64")));
        assertTrue(odd.contains(ip("192.168.1.127")));
        assertFalse(odd.contains(ip("192.168.1.128")));
        Cidr v6 = Cidr.parse("2001:db8::/32");
        assertTrue(v6.contains(ip("2001:db8:ffff::1")));
        assertFalse(v6.contains(ip("2001:db9::1")));
        assertFalse(v6.contains(ip("10.0.0.1")), "an IPv4 address is never in an IPv6 block");
        assertTrue(Cidr.parse("::1").contains(ip("::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertTrue(Cidr.parse("127.0.0.1").contains(ip("::ffff:127.0.0.1")), "an IPv4-mapped address matches as IPv4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "::/129", "10.0.0/8", "256.0.0.1", "10.0.0.0/", "10.0.0.0/x",
        "example.com", "localhost", "10.0.0.0/8/8", "fe80::1%lo", "1.2.3.4 /8", "١٢٣.0.0.1"})
    void whatIsNotABlockIsRefusedWithoutAnyLookup(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertTrue(e.getMessage().contains(text.strip()), e.getMessage());
    }

    @Test
    void aBadBlockInASettingStopsTheServerNamingTheSetting() {
        for (String property : new String[] {AddressSettings.ALLOW, AddressSettings.DENY, AddressSettings.PROXIES}) {
            Map<String, String> values = Map.of(property, "10.0.0.0/8, not-a-block");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TransportSettings(name -> Optional.ofNullable(values.get(name))));
            assertTrue(e.getMessage().contains(property) && e.getMessage().contains("not-a-block"), e.getMessage());
        }
        Map<String, String> negative = Map.of(AddressSettings.CONNECTIONS_PER_IP, "-1");
        assertThrows(IllegalArgumentException.class,
                () -> new TransportSettings(name -> Optional.ofNullable(negative.get(name))));
        AddressSettings read = new TransportSettings(name -> Optional.ofNullable(
                Map.of(AddressSettings.DENY, "10.0.0.0/8,2001:db8::/32").get(name))).addresses();
        assertEquals(2, read.deny().size());
        assertEquals(0, read.connectionsPerIp());
    }
}
