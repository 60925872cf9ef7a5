package io.pushcluster.web.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.cluster.AccessControls;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.web.config.TransportSettings;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private final PushStats stats = new PushStats();
    private final PushSettings push = new PushSettings(name -> Optional.empty());
    private final AccessControls access = AccessControls.alone(push, new ConnectionHub(push, stats));

    private ClientAddresses addresses(Map<String, String> values) {
        return new ClientAddresses(new TransportSettings(name -> Optional.ofNullable(values.get(name))), access, stats);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private static java.util.function.Function<String, List<String>> headers(Map<String, List<String>> values) {
        return name -> values.getOrDefault(name, List.of());
    }

    @Test
    void onlyATrustedProxyIsBelievedAndTheRightMostUntrustedHopIsTheClient() throws Exception {
        ClientAddresses rules = addresses(Map.of("push.proxies", "10.0.0.0/8"));
        var spoofed = headers(Map.of("x-forwarded-for", List.of("127.0.0.1")));
        assertEquals(ip("203.0.113.5"), rules.client(ip("203.0.113.5"), spoofed),
                "an untrusted peer claiming loopback in a header is judged by its own address");
        var chain = headers(Map.of("x-forwarded-for", List.of("127.0.0.1, 198.51.100.7", "10.1.1.1")));
        assertEquals(ip("198.51.100.7"), rules.client(ip("10.0.0.2"), chain),
                "the right-most hop not itself a trusted proxy; what the client wrote to the left is ignored");
        var forwarded = headers(Map.of("forwarded", List.of("for=192.0.2.60;proto=http, for=\"[2001:db8::17]:4711\""),
                "x-forwarded-for", List.of("127.0.0.1")));
        assertEquals(ip("2001:db8::17"), rules.client(ip("10.0.0.2"), forwarded), "Forwarded wins over X-Forwarded-For");
        assertEquals(ip("10.0.0.2"), rules.client(ip("10.0.0.2"), headers(Map.of())), "no header: the proxy itself");
        assertNull(rules.client(ip("10.0.0.2"), headers(Map.of("forwarded", List.of("for=unknown")))));
        assertNull(rules.client(ip("10.0.0.2"), headers(Map.of("x-forwarded-for", List.of("localhost")))),
                "a name is never looked up");
        assertEquals(ip("10.9.9.9"), rules.client(ip("10.0.0.2"), headers(Map.of("x-forwarded-for",
                List.of("10.9.9.9, 10.8.8.8")))), "all hops trusted: the left-most");
    }

    @Test
    void allowDenyAndRunTimeEntriesDecideAndRefusalsAreCounted() throws Exception {
        ClientAddresses rules = addresses(Map.of("push.ip.allow", "192.0.2.0/24,2001:db8::/32",
                "push.ip.deny", "192.0.2.128/25"));
        assertTrue(rules.admits(ip("192.0.2.1")));
        assertTrue(rules.admits(ip("2001:db8::5")));
        assertFalse(rules.admits(ip("198.51.100.1")), "not allowed");
        assertFalse(rules.admits(ip("192.0.2.200")), "denied though allowed");
        assertFalse(rules.admits(null), "an unknown client satisfies no allow list");
        access.deny("192.0.2.0/28", 600);
        assertFalse(rules.admits(ip("192.0.2.1")), "denied at run time");
        assertTrue(rules.admits(ip("192.0.2.16")));
        access.allow("192.0.2.0/28");
        assertTrue(rules.admits(ip("192.0.2.1")));
        assertEquals(4L, stats.connectionCounters().get("refusedByIpList"));
        assertTrue(addresses(Map.of()).admits(null), "no allow list: an unknown client is served");
    }

    @Test
    void connectionsPerAddressHoldUnderConcurrencyAndAreGivenBack() throws Exception {
        ClientAddresses rules = addresses(Map.of("push.limit.connections-per-ip", "10"));
        InetAddress client = ip("192.0.2.1");
        AtomicInteger held = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        if (rules.hold(client)) {
                            int now = held.incrementAndGet();
                            assertTrue(now <= 10, "never more than the limit at once: " + now);
                            held.decrementAndGet();
                            rules.release(client);
                        }
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, rules.heldBy(client), "every connection given back");
        for (int i = 0; i < 10; i++) {
            assertTrue(rules.hold(client));
        }
        assertFalse(rules.hold(client));
        assertTrue(rules.hold(ip("192.0.2.2")), "another address has its own count");
        rules.release(client);
        assertTrue(rules.hold(client));
        assertTrue(stats.connectionCounters().get("refusedPerIp") >= 1);
    }
}
