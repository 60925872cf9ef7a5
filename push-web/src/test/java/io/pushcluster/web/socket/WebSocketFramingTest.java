package io.pushcluster.web.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebSocketFramingTest {

    private final WebSocketFraming framing = new WebSocketFraming();

    @Test
    void serverFramesAreUnmaskedFinalTextFramesWithTheShortestLength() {
        assertArrayEquals(new byte[] {(byte) 0x81, 4, '+', 'h', '\r', '\n'}, framing.heartbeat());
        byte[] small = framing.message("x".repeat(125));
        assertEquals(2 + 125, small.length);
        assertEquals(125, small[1]);
        byte[] medium = framing.message("x".repeat(126));
        assertArrayEquals(new byte[] {(byte) 0x81, 126, 0, 126}, Arrays.copyOf(medium, 4));
        byte[] largestMedium = framing.message("x".repeat(65_535));
        assertArrayEquals(new byte[] {(byte) 0x81, 126, (byte) 0xFF, (byte) 0xFF}, Arrays.copyOf(largestMedium, 4));
        byte[] large = framing.message("x".repeat(65_536));
        assertArrayEquals(new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0}, Arrays.copyOf(large, 10));
        assertEquals(10 + 65_536, large.length);
    }

    @Test
    void lengthsCountBytesOfUtf8() {
        byte[] frame = framing.message("\"é€\"");
        assertEquals(7, frame[1]);
        assertEquals("\"é€\"", new String(frame, 2, 7, StandardCharsets.UTF_8));
    }

    @Test
    void refusalsAreTheReplyThenANormalClose() {
        assertArrayEquals(new byte[] {(byte) 0x81, 4, '-', 'n', '\r', '\n', (byte) 0x88, 2, 0x03, (byte) 0xE8},
                framing.refusal("-n\r\n"));
        assertArrayEquals(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8}, framing.refusal(null));
        assertArrayEquals(framing.refusal(null), framing.farewell());
    }

    @Test
    void pongsEchoThePing() {
        assertArrayEquals(new byte[] {(byte) 0x8A, 2, 'h', 'i'}, WebSocketFraming.pong(new byte[] {'h', 'i'}));
        assertArrayEquals(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xF1}, WebSocketFraming.close(1009));
    }
}
