package io.pushcluster.engine.subscribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pushcluster.engine.subscribe.Admission;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The subscribe replies of PROTOCOL.md A.4 and A.5, byte for byte. */
class RepliesTest {

    @Test
    void refusalsAreTheGopushErrorLines() {
        assertEquals("-n\r\n", Replies.refusal(Admission.NOT_OWNER));
        assertEquals("-p\r\n", Replies.refusal(Admission.BAD_PARAMETER));
        assertEquals("-c\r\n", Replies.refusal(Admission.NO_TOKENS));
        assertEquals("-a\r\n", Replies.refusal(Admission.BAD_TOKEN));
    }

    @Test
    void acceptedAndKeyFullGetNoRefusal() {
        assertNull(Replies.refusal(Admission.ACCEPTED));
        assertNull(Replies.refusal(Admission.KEY_FULL), "the original closes a connection over the limit silently");
    }

    @Test
    void heartbeatIsPlusH() {
        assertEquals("+h\r\n", Replies.HEARTBEAT);
        assertEquals('h', Replies.CLIENT_HEARTBEAT);
    }

    @Test
    void everyRefusalIsDistinct() {
        Set<String> seen = new HashSet<>();
        for (Admission admission : EnumSet.complementOf(EnumSet.of(Admission.ACCEPTED, Admission.KEY_FULL))) {
            String reply = Replies.refusal(admission);
            assertEquals(4, reply.length(), admission::name);
            assertEquals('-', reply.charAt(0), admission::name);
            assertEquals(true, seen.add(reply), () -> "duplicate reply for " + admission);
        }
        assertEquals(4, seen.size());
    }
}
