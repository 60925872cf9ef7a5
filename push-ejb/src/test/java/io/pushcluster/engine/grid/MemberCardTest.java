package io.pushcluster.engine.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemberCardTest {

    @Test
    void travelsAsJson() {
        MemberCard card = new MemberCard("m\"1", 2, List.of("127.0.0.1:8080", "[::1]:8080"), List.of());
        assertEquals(Optional.of(card), MemberCard.fromJson(card.toJson()));
    }

    @Test
    void textThatIsNotACardIsNoCard() {
        for (String bad : List.of("", "[]", "{}", "{\"name\":\"a\",\"weight\":0,\"ws\":[],\"tcp\":[]}",
                "{\"name\":\"\",\"weight\":1,\"ws\":[],\"tcp\":[]}", "{\"name\":1,\"weight\":1,\"ws\":[],\"tcp\":[]}",
                "{\"name\":\"a\",\"weight\":1,\"ws\":[1],\"tcp\":[]}", "{\"name\":\"a\",\"weight\":1}", "not json")) {
            assertTrue(MemberCard.fromJson(bad).isEmpty(), bad);
        }
    }
}
