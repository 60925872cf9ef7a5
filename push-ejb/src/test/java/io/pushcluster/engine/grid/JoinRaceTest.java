package io.pushcluster.engine.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hazelcast.nio.serialization.HazelcastSerializationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JoinRaceTest {

    @Test
    void anOperationThatFailsWhileAMemberJoinsIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        String result = JoinRace.retried("reading", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new HazelcastSerializationException("Problem while reading DataSerializable");
            }
            return "cards";
        });
        assertEquals("cards", result);
        assertEquals(3, calls.get());
    }

    @Test
    void aRaceThatDoesNotEndIsPassedOnAfterTheLastAttempt() {
        AtomicInteger calls = new AtomicInteger();
        HazelcastSerializationException race = new HazelcastSerializationException("still racing");
        assertSame(race, assertThrows(HazelcastSerializationException.class, () -> JoinRace.retried("reading", () -> {
            calls.incrementAndGet();
            throw race;
        })));
        assertEquals(JoinRace.ATTEMPTS, calls.get());
    }

    @Test
    void otherFailuresAreNotTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> JoinRace.retried("reading", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("not the race");
        }));
        assertEquals(1, calls.get());
    }
}
