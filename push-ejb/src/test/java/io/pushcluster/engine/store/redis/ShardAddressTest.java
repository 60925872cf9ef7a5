package io.pushcluster.engine.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.HostAndPort;

class ShardAddressTest {

    @Test
    void hostAloneMeansPort6379DatabaseZeroNoLoginNoTls() {
        ShardAddress address = ShardAddress.parse("s", "redis://cache.example");
        assertEquals(new HostAndPort("cache.example", 6379), address.hostAndPort());
        assertEquals(0, address.database());
        assertNull(address.user());
        assertNull(address.password());
        assertFalse(address.tls());
    }

    @Test
    void everyPartIsRead() {
        ShardAddress address = ShardAddress.parse("s", "rediss://push:p%40ss%3Aw%2Cd@10.0.0.5:6380/3");
        assertEquals(new HostAndPort("10.0.0.5", 6380), address.hostAndPort());
        assertEquals("push", address.user());
        assertEquals("p@ss:w,d", address.password(), "percent-encoded characters are decoded");
        assertEquals(3, address.database());
        assertTrue(address.tls());
    }

    @Test
    void aPasswordAloneHasNoUser() {
        ShardAddress address = ShardAddress.parse("s", "redis://:secret@h:1");
        assertNull(address.user());
        assertEquals("secret", address.password());
    }

    @Test
    void thePasswordNeverShows() {
        ShardAddress address = ShardAddress.parse("s", "redis://u:secret@h:1/2");
        assertEquals("redis://h:1/2", address.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardAddress.parse("s", "redis://secret@h:1"));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h:1", "127.0.0.1:6379", "redis://", "redis://h:1/x", "redis://h:1/-1",
        "redis://h:1/1/2", "redis://a b:1", "redis://password@h:1"})
    void invalidAddressesAreRefusedNamingTheServerAndSetting(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardAddress.parse("s7", uri));
        assertTrue(e.getMessage().contains("'s7'") && e.getMessage().contains("push.redis.servers"), e.getMessage());
    }
}
