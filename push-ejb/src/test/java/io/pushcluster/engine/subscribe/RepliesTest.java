package io.pushcluster.engine.subscribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pushcluster.engine.connection.Ending;
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
        for (Ending why : EnumSet.of(Ending.KICKED, Ending.BANNED)) {
            String reply = Replies.ending(why);
            assertEquals(4, reply.length(), why::name);
            assertEquals('-', reply.charAt(0), why::name);
            seen.add(reply);
        }
        assertNull(Replies.ending(Ending.TOO_MANY_FRAMES), "too many frames closes without a reply line");
        assertEquals(Set.of("-p\r\n", "-n\r\n", "-c\r\n", "-a\r\n", "-b\r\n", "-k\r\n"), seen,
                "a banned subscribe and a banned connection say the same; a kick says something else");
    }
}
