package io.pushcluster.web.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSONP callback names {@link Reply} accepts; {@link ReplyTest} covers the replies themselves.
 */
class ReplyCallbackNameTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "cb",
        "c",
        "_",
        "$",
        "jQuery123_456",
        "jQuery1910_1385021244380",
        "a.b$c",
        "window.handlers.onPush",
        "_private",
        "$jsonp",
        "Callback9",
    })
    void acceptsPlainIdentifiers(String name) {
        assertTrue(Reply.isCallbackName(name), () -> "should accept " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "1abc",
        "9",
        ".a",
        "a.",
        "a..b",
        ".",
        "alert(1)",
        "a b",
        " a",
        "a ",
        "a;b",
        "a;alert(1)",
        "<script>",
        "a<b",
        "a-b",
        "a+b",
        "a/b",
        "a\\b",
        "a'b",
        "a\"b",
        "a[0]",
        "a,b",
        "a=b",
        "a\nb",
        "a\u2028b",
        "é",
        "caf\u00e9",
        "a\u0000",
        "/**/alert",
    })
    void rejectsAnythingElse(String name) {
        assertFalse(Reply.isCallbackName(name), () -> "should reject " + name);
    }

    @Test
    void acceptsUpTo128Characters() {
        assertTrue(Reply.isCallbackName("a".repeat(128)));
        assertFalse(Reply.isCallbackName("a".repeat(129)));
        assertFalse(Reply.isCallbackName("a".repeat(10_000)));
    }
}
