package io.pushcluster.web.socket;

import static io.pushcluster.web.socket.ClientFrames.concat;
import static io.pushcluster.web.socket.ClientFrames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.web.socket.FrameDecoder.ClientFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    private static final int TEXT = WebSocketFraming.TEXT;
    private static final int BINARY = WebSocketFraming.BINARY;
    private static final int CONTINUATION = 0;

    /** Every frame the bytes complete, fed at once. */
    private static List<ClientFrame> decode(FrameDecoder decoder, byte[] bytes) throws FrameException {
        ByteBuffer input = ByteBuffer.wrap(bytes);
        List<ClientFrame> frames = new ArrayList<>();
        ClientFrame frame;
        while ((frame = decoder.next(input)) != null) {
            frames.add(frame);
        }
        assertEquals(0, input.remaining(), "null only once the input ran out");
        return frames;
    }

    private static List<ClientFrame> decode(byte[] bytes) throws FrameException {
        return decode(new FrameDecoder(), bytes);
    }

    /** The same, one byte at a time. */
    private static List<ClientFrame> decodeBytewise(byte[] bytes) throws FrameException {
        FrameDecoder decoder = new FrameDecoder();
        List<ClientFrame> frames = new ArrayList<>();
        for (byte b : bytes) {
            frames.addAll(decode(decoder, new byte[] {b}));
        }
        return frames;
    }

    private static int closeCodeOf(byte[] bytes) {
        return assertThrows(FrameException.class, () -> decode(bytes)).closeCode();
    }

    @Test
    void theTextHIsAHeartbeatInOnePieceOrInMany() throws FrameException {
        byte[] three = concat(ClientFrames.heartbeat(), ClientFrames.heartbeat(), ClientFrames.heartbeat());
        List<ClientFrame> heartbeats = List.of(ClientFrame.HEARTBEAT, ClientFrame.HEARTBEAT, ClientFrame.HEARTBEAT);
        assertEquals(heartbeats, decode(three));
        assertEquals(heartbeats, decodeBytewise(three));
    }

    @Test
    void aFragmentedHWithAPingBetweenIsStillAHeartbeat() throws FrameException {
        byte[] fragmented = concat(frame(false, TEXT, new byte[0]), ClientFrames.ping("p"),
                frame(false, CONTINUATION, "h".getBytes(StandardCharsets.US_ASCII)),
                frame(true, CONTINUATION, new byte[0]));
        assertEquals(List.of(ClientFrame.PING, ClientFrame.HEARTBEAT), decode(fragmented));
        assertEquals(List.of(ClientFrame.PING, ClientFrame.HEARTBEAT), decodeBytewise(fragmented));
    }

    @Test
    void anyOtherDataMessageIsNotAHeartbeat() throws FrameException {
        for (byte[] other : List.of(ClientFrames.text("H"), ClientFrames.text("hh"), ClientFrames.text(""),
                ClientFrames.text("h "), frame(true, BINARY, new byte[] {'h'}),
                concat(frame(false, TEXT, new byte[] {'h'}), frame(true, CONTINUATION, new byte[] {'h'})))) {
            assertEquals(List.of(ClientFrame.OTHER_MESSAGE), decode(other));
        }
    }

    @Test
    void pingsKeepTheirPayloadAndPongsAreDropped() throws FrameException {
        FrameDecoder decoder = new FrameDecoder();
        byte[] bytes = concat(frame(true, WebSocketFraming.PONG, "x".getBytes(StandardCharsets.US_ASCII)),
                ClientFrames.ping("are you there"));
        assertEquals(List.of(ClientFrame.PING), decode(decoder, bytes));
        assertArrayEquals("are you there".getBytes(StandardCharsets.US_ASCII), decoder.pingPayload());
    }

    @Test
    void aCloseIsAnsweredWithItsCodeOrNormalClosure() throws FrameException {
        FrameDecoder decoder = new FrameDecoder();
        assertEquals(List.of(ClientFrame.CLOSE), decode(decoder, ClientFrames.close(1001)));
        assertEquals(1001, decoder.closeCode());
        FrameDecoder withReason = new FrameDecoder();
        decode(withReason, frame(true, WebSocketFraming.CLOSE, new byte[] {0x0F, (byte) 0xA0, 'b', 'y', 'e'}));
        assertEquals(4000, withReason.closeCode());
        FrameDecoder empty = new FrameDecoder();
        decode(empty, frame(true, WebSocketFraming.CLOSE, new byte[0]));
        assertEquals(1000, empty.closeCode());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535})
    void aCloseWithAStatusNoOneMaySendIsAProtocolError(int code) {
        assertEquals(1002, closeCodeOf(ClientFrames.close(code)));
    }

    @Test
    void aCloseOfOneByteIsAProtocolError() {
        assertEquals(1002, closeCodeOf(frame(true, WebSocketFraming.CLOSE, new byte[] {3})));
    }

    @Test
    void unmaskedFramesAreAProtocolError() {
        assertEquals(1002, closeCodeOf(frame(true, TEXT, new byte[] {'h'}, false)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10})
    void reservedBitsAreAProtocolError(int bit) {
        byte[] bytes = ClientFrames.heartbeat();
        bytes[0] |= (byte) bit;
        assertEquals(1002, closeCodeOf(bytes));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodesAreAProtocolError(int opcode) {
        assertEquals(1002, closeCodeOf(frame(true, opcode, new byte[0])));
    }

    @Test
    void continuationsOutOfPlaceAreAProtocolError() {
        assertEquals(1002, closeCodeOf(frame(true, CONTINUATION, new byte[] {'h'})));
        assertEquals(1002, closeCodeOf(concat(frame(false, TEXT, new byte[] {'h'}), ClientFrames.heartbeat())));
    }

    @Test
    void controlFramesMayNeitherBeFragmentedNorLong() {
        assertEquals(1002, closeCodeOf(frame(false, WebSocketFraming.PING, new byte[0])));
        assertEquals(1002, closeCodeOf(frame(true, WebSocketFraming.PING, new byte[126])));
    }

    @Test
    void aMessageOverTheLimitIsTooBigAsSoonAsItsLengthIsKnown() throws FrameException {
        assertEquals(List.of(ClientFrame.OTHER_MESSAGE), decode(frame(true, TEXT, new byte[128])));
        assertEquals(1009, closeCodeOf(frame(true, TEXT, new byte[129])));
        assertEquals(1009, closeCodeOf(frame(true, BINARY, new byte[70_000])));
        assertEquals(1009, closeCodeOf(concat(frame(false, TEXT, new byte[100]),
                frame(true, CONTINUATION, new byte[29]))));
        assertEquals(1009, closeCodeOf(ClientFrames.header(TEXT, Long.MAX_VALUE)),
                "a frame announcing 2^63 - 1 bytes, before any of them arrives");
        assertEquals(1002, closeCodeOf(ClientFrames.header(TEXT, -1L)), "a 64-bit length with its top bit set");
    }

    @Test
    void incompleteFramesWaitForMore() throws FrameException {
        byte[] heartbeat = ClientFrames.heartbeat();
        FrameDecoder decoder = new FrameDecoder();
        for (int length = 0; length < heartbeat.length; length++) {
            assertNull(new FrameDecoder().next(ByteBuffer.wrap(heartbeat, 0, length)));
        }
        assertNull(decoder.next(ByteBuffer.wrap(heartbeat, 0, 3)));
        assertEquals(ClientFrame.HEARTBEAT, decoder.next(ByteBuffer.wrap(heartbeat, 3, heartbeat.length - 3)));
    }

    @Test
    void garbageEndsInAFrameExceptionOrAFrameNeverInAnythingElse() {
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            FrameDecoder decoder = new FrameDecoder();
            ByteBuffer input = ByteBuffer.wrap(garbage);
            try {
                for (int frames = 0; frames < garbage.length && decoder.next(input) != null; frames++) {
                    assertTrue(input.position() <= garbage.length);
                }
            } catch (FrameException e) {
                assertTrue(e.closeCode() == 1002 || e.closeCode() == 1009, "close code " + e.closeCode());
            }
        }
    }
}
