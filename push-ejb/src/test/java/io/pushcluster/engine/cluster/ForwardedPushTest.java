package io.pushcluster.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushcluster.engine.message.PushedMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedPushTest {

    @Test
    void keysAndMessageSurviveTheTrip() {
        ForwardedPush push = new ForwardedPush(List.of("a", "ключ", "k\n2"), new PushedMessage(1234567L, 3, "{\"x\":\"é\"}"));
        ForwardedPush back = ForwardedPush.fromBytes(push.toBytes());
        assertEquals(push.keys(), back.keys());
        assertEquals(1234567L, back.message().mid());
        assertEquals(3, back.message().gid());
        assertEquals("{\"x\":\"é\"}", back.message().json());
    }

    @Test
    void bytesThatAreNotAForwardedPushAreRejected() {
        byte[] good = new ForwardedPush(List.of("a"), new PushedMessage(1, 0, "{}")).toBytes();
        assertThrows(IllegalArgumentException.class, () -> ForwardedPush.fromBytes(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> ForwardedPush.fromBytes(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> ForwardedPush.fromBytes(Arrays.copyOf(good, good.length + 1)));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> ForwardedPush.fromBytes(otherVersion));
        byte[] hugeCount = good.clone();
        hugeCount[13] = 0x7f;
        assertThrows(IllegalArgumentException.class, () -> ForwardedPush.fromBytes(hugeCount));
    }
}
