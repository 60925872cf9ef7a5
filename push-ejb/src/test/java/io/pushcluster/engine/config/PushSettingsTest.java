package io.pushcluster.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PushSettingsTest {

    private static PushSettings with(Map<String, String> values) {
        return new PushSettings(name -> Optional.ofNullable(values.get(name)));
    }

    private static PushSettings defaults() {
        return new PushSettings(name -> Optional.empty());
    }

    @Test
    void defaults_matchGopushClusterAndTheReadme() {
        PushSettings s = defaults();
        assertEquals(30, s.heartbeatMin());
        assertEquals(5, s.heartbeatGrace());
        assertEquals(64, s.subscribersPerKey());
        assertEquals(30, s.sendQueue());
        assertEquals("jpa", s.store());
        assertEquals(20, s.storeCap());
        assertEquals(60, s.purgeIntervalSeconds());
        assertFalse(s.auth());
        assertTrue(s.adminCredential().isEmpty());
        assertEquals(128, s.keyMaxLength());
        assertEquals(32 * 1024, s.messageMaxBytes());
        assertEquals(1000, s.multiMaxKeys());
        assertEquals(256, s.tokenMaxLength());
        assertEquals(16, s.tokensPerKey());
        assertEquals("node-1", s.nodeName());
        assertEquals(1, s.nodeWeight());
        assertEquals(Map.of("local", "redis://127.0.0.1:6379"), s.redis().servers());
        assertEquals(Map.of("local", 1), s.redis().weights());
        assertEquals("push:m:", s.redis().keyPrefix());
        assertEquals(2000, s.redis().timeoutMillis());
        assertEquals(32, s.redis().poolMaxTotal());
        assertEquals(2000, s.redis().poolMaxWaitMillis());
    }

    @Test
    void overridesAreRead() {
        PushSettings s = with(Map.ofEntries(
                Map.entry(PushSettings.HEARTBEAT_MIN, "45"),
                Map.entry(PushSettings.HEARTBEAT_GRACE, "0"),
                Map.entry(PushSettings.SUBSCRIBERS_PER_KEY, "3"),
                Map.entry(PushSettings.SEND_QUEUE, "100"),
                Map.entry(PushSettings.STORE, "memory"),
                Map.entry(PushSettings.STORE_CAP, "7"),
                Map.entry(PushSettings.PURGE_INTERVAL, "15"),
                Map.entry(PushSettings.AUTH, "true"),
                Map.entry(PushSettings.ADMIN_CREDENTIAL, "s3cret"),
                Map.entry(PushSettings.KEY_MAX_LENGTH, "64"),
                Map.entry(PushSettings.MESSAGE_MAX_BYTES, "1024"),
                Map.entry(PushSettings.MULTI_MAX_KEYS, "10"),
                Map.entry(PushSettings.TOKEN_MAX_LENGTH, "32"),
                Map.entry(PushSettings.TOKENS_PER_KEY, "2"),
                Map.entry(PushSettings.NODE_NAME, "comet-7"),
                Map.entry(PushSettings.NODE_WEIGHT, "3")));
        assertEquals(45, s.heartbeatMin());
        assertEquals(0, s.heartbeatGrace());
        assertEquals(3, s.subscribersPerKey());
        assertEquals(100, s.sendQueue());
        assertEquals("memory", s.store());
        assertEquals(7, s.storeCap());
        assertEquals(15, s.purgeIntervalSeconds());
        assertTrue(s.auth());
        assertEquals(Optional.of("s3cret"), s.adminCredential());
        assertEquals(64, s.keyMaxLength());
        assertEquals(1024, s.messageMaxBytes());
        assertEquals(10, s.multiMaxKeys());
        assertEquals(32, s.tokenMaxLength());
        assertEquals(2, s.tokensPerKey());
        assertEquals("comet-7", s.nodeName());
        assertEquals(3, s.nodeWeight());
    }

    @Test
    void redisOverridesAreRead() {
        PushSettings s = with(Map.of(
                RedisSettings.SERVERS, " r1=redis://10.0.0.1:6379/2 , r2 = rediss://:pw@r2.example:6380",
                RedisSettings.WEIGHTS, "r2=3",
                RedisSettings.KEY_PREFIX, "app:",
                RedisSettings.TIMEOUT_MS, "500",
                RedisSettings.POOL_MAX_TOTAL, "8",
                RedisSettings.POOL_MAX_WAIT_MS, "100"));
        assertEquals(List.of("r1", "r2"), List.copyOf(s.redis().servers().keySet()), "in the order configured");
        assertEquals("redis://10.0.0.1:6379/2", s.redis().servers().get("r1"));
        assertEquals("rediss://:pw@r2.example:6380", s.redis().servers().get("r2"));
        assertEquals(Map.of("r1", 1, "r2", 3), s.redis().weights());
        assertEquals("app:", s.redis().keyPrefix());
        assertEquals(500, s.redis().timeoutMillis());
        assertEquals(8, s.redis().poolMaxTotal());
        assertEquals(100, s.redis().poolMaxWaitMillis());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "push.redis.servers | redis://127.0.0.1:6379",
        "push.redis.servers | =redis://127.0.0.1:6379",
        "push.redis.servers | a=",
        "push.redis.servers | ' , '",
        "push.redis.servers | a=redis://h1:6379,a=redis://h2:6379",
        "push.redis.weights | local",
        "push.redis.weights | local=0",
        "push.redis.weights | local=x",
        "push.redis.weights | other=2",
        "push.redis.weights | local=1,local=2",
        "push.redis.timeout-ms | 0",
        "push.redis.pool.max-total | 0",
        "push.redis.pool.max-wait-ms | -1",
    })
    void invalidRedisSettingsAreRejectedNamingTheProperty(String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with(Map.of(name, value)));
        assertTrue(e.getMessage().contains(name), () -> "message does not name " + name + ": " + e.getMessage());
    }

    @Test
    void sessionControlsDefaultToRefusingTheExcessAndTwentyFramesASecond() {
        PushSettings defaults = defaults();
        assertFalse(defaults.kickOldest());
        assertEquals(20, defaults.clientFramesPerSecond());
        assertTrue(with(Map.of(PushSettings.SUBSCRIBERS_ON_EXCESS, "kick-oldest")).kickOldest());
        assertEquals(0, with(Map.of(PushSettings.CLIENT_FRAMES_PER_SECOND, "0")).clientFramesPerSecond());
    }

    @Test
    void effectiveMasksRedisPasswords() {
        Map<String, String> effective = with(Map.of(RedisSettings.SERVERS,
                "a=redis://user:pa%40ss@h1:6379/1,b=rediss://:s3cr3t@h2:6380,c=redis://h3:6379")).effective();
        assertEquals("a=redis://***@h1:6379/1,b=rediss://***@h2:6380,c=redis://h3:6379",
                effective.get(RedisSettings.SERVERS));
    }

    @Test
    void valuesAreStripped() {
        PushSettings s = with(Map.of(PushSettings.HEARTBEAT_MIN, "  40 ", PushSettings.NODE_NAME, " n2\t",
                PushSettings.ADMIN_CREDENTIAL, "  pw  "));
        assertEquals(40, s.heartbeatMin());
        assertEquals("n2", s.nodeName());
        assertEquals(Optional.of("pw"), s.adminCredential());
    }

    @Test
    void blankValuesFallBackToTheDefault() {
        PushSettings s = with(Map.of(PushSettings.HEARTBEAT_MIN, "   ", PushSettings.STORE, "",
                PushSettings.ADMIN_CREDENTIAL, "  "));
        assertEquals(30, s.heartbeatMin());
        assertEquals("jpa", s.store());
        assertTrue(s.adminCredential().isEmpty());
    }

    @Test
    void authIsTrueOnlyForTrue() {
        assertTrue(with(Map.of(PushSettings.AUTH, "TRUE")).auth());
        assertFalse(with(Map.of(PushSettings.AUTH, "false")).auth());
    }

    @ParameterizedTest
    @CsvSource({
        "push.heartbeat.min, abc",
        "push.heartbeat.min, 1.5",
        "push.heartbeat.min, 0",
        "push.heartbeat.min, -30",
        "push.heartbeat.min, 99999999999",
        "push.heartbeat.grace, -1",
        "push.heartbeat.grace, five",
        "push.subscribers.per-key, 0",
        "push.send-queue, x",
        "push.store.cap, 0",
        "push.store.cap, 20x",
        "push.store.purge-interval, -5",
        "push.limit.key-length, 0",
        "push.limit.message-bytes, 32k",
        "push.limit.multi-keys, 0",
        "push.limit.token-length, 25 6",
        "push.limit.tokens-per-key, 0",
        "push.node.weight, 0",
        "push.node.weight, 1e3",
        "push.subscribers.on-excess, kick",
        "push.subscribers.on-excess, KICK-OLDEST",
        "push.limit.client-frames-per-second, -1",
        "push.limit.client-frames-per-second, ten",
        "push.limit.bans, 0",
        "push.limit.ip-deny-entries, 0",
    })
    void invalidNumbersAreRejectedNamingTheProperty(String name, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with(Map.of(name, value)));
        assertTrue(e.getMessage().contains(name), () -> "message does not name " + name + ": " + e.getMessage());
    }

    @Test
    void graceMayBeZeroButOtherNumbersMustBePositive() {
        assertEquals(0, with(Map.of(PushSettings.HEARTBEAT_GRACE, "0")).heartbeatGrace());
        assertThrows(IllegalArgumentException.class, () -> with(Map.of(PushSettings.HEARTBEAT_MIN, "0")));
        assertEquals(1, with(Map.of(PushSettings.HEARTBEAT_MIN, "1")).heartbeatMin());
    }

    @Test
    void splitListKeepsNonBlankItemsStripped() {
        assertEquals(List.of("a", "b", "c"), SettingsReader.splitList(" a, ,b ,, c "));
        assertEquals(List.of("one"), SettingsReader.splitList("one"));
        assertEquals(List.of(), SettingsReader.splitList(""));
        assertEquals(List.of(), SettingsReader.splitList(" , ,, "));
        assertEquals(List.of("h:1", "h:2"), SettingsReader.splitList("h:1,h:2,"));
    }

    @Test
    void splitListIsUnmodifiable() {
        List<String> list = SettingsReader.splitList("a,b");
        assertThrows(UnsupportedOperationException.class, () -> list.add("c"));
    }

    @Test
    void noTransportSettingIsTheEnginesConcern() {
        for (String transport : List.of("push.tcp.bind", "push.websocket.bind", "push.http.bind", "push.origins",
                "push.public.websocket", "push.limit.sub-connections")) {
            assertFalse(defaults().effective().containsKey(transport), transport + " is read by the engine");
        }
    }

    @Test
    void effectiveListsEverySettingInForce() {
        Map<String, String> effective = with(Map.of(PushSettings.HEARTBEAT_MIN, "45", PushSettings.NODE_NAME, "n9"))
                .effective();
        assertEquals("45", effective.get(PushSettings.HEARTBEAT_MIN));
        assertEquals("n9", effective.get(PushSettings.NODE_NAME));
        assertEquals("5", effective.get(PushSettings.HEARTBEAT_GRACE));
        assertEquals("jpa", effective.get(PushSettings.STORE));
        for (String name : List.of(PushSettings.HEARTBEAT_MIN, PushSettings.HEARTBEAT_GRACE,
                PushSettings.SUBSCRIBERS_PER_KEY, PushSettings.SEND_QUEUE, PushSettings.STORE, PushSettings.STORE_CAP,
                PushSettings.PURGE_INTERVAL, PushSettings.AUTH, PushSettings.ADMIN_CREDENTIAL,
                PushSettings.KEY_MAX_LENGTH, PushSettings.MESSAGE_MAX_BYTES, PushSettings.MULTI_MAX_KEYS,
                PushSettings.TOKEN_MAX_LENGTH, PushSettings.TOKENS_PER_KEY, PushSettings.NODE_NAME,
                PushSettings.NODE_WEIGHT,
                RedisSettings.SERVERS, RedisSettings.WEIGHTS, RedisSettings.KEY_PREFIX,
                RedisSettings.TIMEOUT_MS, RedisSettings.POOL_MAX_TOTAL,
                RedisSettings.POOL_MAX_WAIT_MS)) {
            assertTrue(effective.containsKey(name), "effective() lacks " + name);
        }
    }

    @Test
    void effectiveMasksTheAdminCredential() {
        String secret = "very-secret-credential-4711";
        Map<String, String> effective = with(Map.of(PushSettings.ADMIN_CREDENTIAL, secret)).effective();
        assertTrue(effective.containsKey(PushSettings.ADMIN_CREDENTIAL));
        for (Map.Entry<String, String> entry : effective.entrySet()) {
            assertFalse(entry.getValue().contains(secret), "credential shown under " + entry.getKey());
            assertFalse(entry.getKey().contains(secret), "credential shown as a key");
        }
        String withNone = defaults().effective().get(PushSettings.ADMIN_CREDENTIAL);
        String withOne = effective.get(PushSettings.ADMIN_CREDENTIAL);
        assertFalse(withOne.equals(withNone), "whether a credential is set should still be visible");
    }

    @Test
    void effectiveIsUnmodifiable() {
        Map<String, String> effective = defaults().effective();
        assertThrows(UnsupportedOperationException.class, () -> effective.put("x", "y"));
    }
}
