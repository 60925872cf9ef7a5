package io.pushcluster.web.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.grid.FakeGrid;
import io.pushcluster.engine.grid.MemberCard;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Where /1/server/get sends a key's subscribers, and what this member's card says. */
class ListenerAddressesTest {

    private static final String REQUEST = "push.example:8080";

    private final FakeGrid.Cluster cluster = new FakeGrid.Cluster();

    /** A member alone on a ring of its own (its grid's host is 127.0.0.1), with these transport settings. */
    private static ListenerAddresses alone(Map<String, String> values) {
        PushSettings engine = new PushSettings(name -> Optional.empty());
        return new ListenerAddresses(new TransportSettings(name -> Optional.ofNullable(values.get(name))),
                new Membership(engine));
    }

    private static List<String> forKey(Map<String, String> values, Protocol protocol) {
        return alone(values).forKey("k", protocol, REQUEST);
    }

    /** A member of the fake cluster (its grid's host is 127.0.0.9), on the ring, its addresses advertised. */
    private ListenerAddresses member(String id, String name, String... transport) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < transport.length; i += 2) {
            values.put(transport[i], transport[i + 1]);
        }
        Membership membership = new Membership(
                new PushSettings(key -> Optional.ofNullable(Map.of(PushSettings.NODE_NAME, name).get(key))),
                cluster.join(id));
        membership.follow(Runnable::run, () -> { });
        membership.enter();
        ListenerAddresses addresses = new ListenerAddresses(
                new TransportSettings(key -> Optional.ofNullable(values.get(key))), membership);
        addresses.advertise();
        return addresses;
    }

    private static String keyOf(Membership membership, String owner) {
        return IntStream.range(0, 200).mapToObj(i -> "user-" + i)
                .filter(key -> membership.ownerOf(key).equals(owner)).findFirst().orElseThrow();
    }

    private MemberCard cardOf(String name) {
        return cluster.cards.values().stream().filter(card -> card.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void webSocketAnswersTheRequestAddressUnlessConfigured() {
        assertEquals(List.of(REQUEST), forKey(Map.of(), Protocol.WEBSOCKET));
        assertEquals(List.of("a:1", "b:2"), forKey(Map.of(TransportSettings.PUBLIC_WS, "a:1,b:2"), Protocol.WEBSOCKET));
    }

    @Test
    void webSocketAnswersItsOwnListenerWhenItIsOn() {
        assertEquals(List.of("127.0.0.1:7080"),
                forKey(Map.of(TransportSettings.WEBSOCKET_BIND, "127.0.0.1:7080"), Protocol.WEBSOCKET));
        for (String any : List.of("0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]")) {
            assertEquals(List.of("push.example:7080"),
                    forKey(Map.of(TransportSettings.WEBSOCKET_BIND, any + ":7080"), Protocol.WEBSOCKET), any);
        }
        assertEquals(List.of("ws.example:443"), forKey(Map.of(TransportSettings.WEBSOCKET_BIND, "127.0.0.1:7080",
                TransportSettings.PUBLIC_WS, "ws.example:443"), Protocol.WEBSOCKET));
    }

    @Test
    void tcpAnswersTheListenerAddressByDefault() {
        assertEquals(List.of("127.0.0.1:6969"), forKey(Map.of(), Protocol.TCP));
        assertEquals(List.of("[::1]:7000"), forKey(Map.of(TransportSettings.TCP_BIND, "[::1]:7000"), Protocol.TCP));
    }

    @Test
    void tcpOnEveryInterfaceAnswersTheRequestHostWithTheListenerPort() {
        for (String any : List.of("0.0.0.0", "[::]")) {
            assertEquals(List.of("push.example:7000"), forKey(Map.of(TransportSettings.TCP_BIND, any + ":7000"),
                    Protocol.TCP), any);
        }
        assertEquals(List.of("[fe80::1]:7000"), alone(Map.of(TransportSettings.TCP_BIND, "0.0.0.0:7000"))
                .forKey("k", Protocol.TCP, "[fe80::1]:8080"));
    }

    @Test
    void configuredTcpAddressesWin() {
        assertEquals(List.of("tcp.example:6969", "tcp2.example:6969"),
                forKey(Map.of(TransportSettings.PUBLIC_TCP, "tcp.example:6969,tcp2.example:6969"), Protocol.TCP));
    }

    @Test
    void tcpDisabledHasNoAddressUnlessConfigured() {
        assertEquals(List.of(), forKey(Map.of(TransportSettings.TCP_ENABLED, "false"), Protocol.TCP));
        assertEquals(List.of("tcp.example:6969"), forKey(Map.of(TransportSettings.TCP_ENABLED, "false",
                TransportSettings.PUBLIC_TCP, "tcp.example:6969"), Protocol.TCP));
    }

    @Test
    void theCardNamesTheWebSocketListenerInsteadOfTheHttpListener() {
        Map<String, String> http = Map.of(TransportSettings.PAYARA_HTTP_ADDRESS, "127.0.0.1",
                TransportSettings.PAYARA_HTTP_PORT, "8080");
        assertEquals(List.of("127.0.0.1:9080"), alone(http).publishedWebSocket(), "the listener on Payara's port + 1000");
        Map<String, String> off = new HashMap<>(http);
        off.put(TransportSettings.WEBSOCKET_BIND, "off");
        assertEquals(List.of("127.0.0.1:8080"), alone(off).publishedWebSocket(), "/sub on Payara's port");
        Map<String, String> listener = new HashMap<>(http);
        listener.put(TransportSettings.WEBSOCKET_BIND, "[::1]:7080");
        assertEquals(List.of("[::1]:7080"), alone(listener).publishedWebSocket());
        listener.put(TransportSettings.WEBSOCKET_BIND, "0.0.0.0:7080");
        assertEquals(List.of("127.0.0.1:7080"), alone(listener).publishedWebSocket(),
                "the grid's host stands for every interface");
        listener.put(TransportSettings.PUBLIC_WS, "ws.example:443");
        assertEquals(List.of("ws.example:443"), alone(listener).publishedWebSocket());
    }

    @Test
    void aCardWithoutConfiguredAddressesNamesTheListenersInForce() {
        member("a", "m1", TransportSettings.PAYARA_HTTP_ADDRESS, "0.0.0.0", TransportSettings.PAYARA_HTTP_PORT, "28080",
                TransportSettings.TCP_BIND, "0.0.0.0:7000", TransportSettings.WEBSOCKET_BIND, "off");
        member("b", "m2", TransportSettings.PAYARA_HTTP_ADDRESS, "10.0.0.5", TransportSettings.PAYARA_HTTP_PORT, "8080");
        member("c", "m3");
        assertEquals(List.of("127.0.0.9:28080"), cardOf("m1").webSocket(), "the grid's host stands for every interface");
        assertEquals(List.of("127.0.0.9:7000"), cardOf("m1").tcp());
        assertEquals(List.of("10.0.0.5:9080"), cardOf("m2").webSocket(), "the listeners derived from Payara's port");
        assertEquals(List.of("10.0.0.5:11080"), cardOf("m2").tcp());
        assertEquals(List.of(), cardOf("m3").webSocket(), "no HTTP port known, no listener: no WebSocket address");
    }

    @Test
    void lookupsOfAnotherMembersKeyAnswerTheAddressesOnItsCard() {
        ListenerAddresses first = member("a", "m1", TransportSettings.PUBLIC_WS, "ws1.example:80");
        member("b", "m2", TransportSettings.PUBLIC_WS, "ws2.example:80", TransportSettings.PUBLIC_TCP, "tcp2.example:6969");
        Membership view = new Membership(new PushSettings(key -> Optional.empty()), cluster.join("observer"));
        view.follow(Runnable::run, () -> { });
        String keyOfSecond = keyOf(view, "m2");
        String keyOfFirst = keyOf(view, "m1");
        assertEquals(List.of("ws2.example:80"), first.forKey(keyOfSecond, Protocol.WEBSOCKET, "req:1"));
        assertEquals(List.of("tcp2.example:6969"), first.forKey(keyOfSecond, Protocol.TCP, "req:1"));
        assertEquals(List.of("ws1.example:80"), first.forKey(keyOfFirst, Protocol.WEBSOCKET, "req:1"));
    }

    @Test
    void anotherMemberAnswersTheOwnersWebSocketListenerFromItsCard() {
        ListenerAddresses first = member("a", "m1");
        member("b", "m2", TransportSettings.WEBSOCKET_BIND, "0.0.0.0:7080");
        Membership view = new Membership(new PushSettings(key -> Optional.empty()), cluster.join("observer"));
        view.follow(Runnable::run, () -> { });
        assertEquals(List.of("127.0.0.9:7080"), first.forKey(keyOf(view, "m2"), Protocol.WEBSOCKET, "req:1"));
    }

    @Test
    void addressesAdvertisedAfterEnteringTheRingReachTheOtherMembers() {
        ListenerAddresses first = member("a", "m1");
        Membership second = new Membership(
                new PushSettings(key -> Optional.ofNullable(Map.of(PushSettings.NODE_NAME, "m2").get(key))),
                cluster.join("b"));
        second.follow(Runnable::run, () -> { });
        second.enter();
        String keyOfSecond = keyOf(second, "m2");
        assertEquals(List.of(), first.forKey(keyOfSecond, Protocol.TCP, "req:1"), "nothing advertised yet");

        new ListenerAddresses(new TransportSettings(key -> Optional.ofNullable(
                Map.of(TransportSettings.PUBLIC_TCP, "tcp2.example:6969").get(key))), second).advertise();

        assertEquals(List.of("tcp2.example:6969"), first.forKey(keyOfSecond, Protocol.TCP, "req:1"));
    }
}
