package io.pushcluster.web.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushException;
import io.pushcluster.api.PushFailedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON and JSONP replies of PROTOCOL.md A.1, built by {@link Reply}. */
class ReplyTest {

    private static final MediaType JSON = MediaType.valueOf("application/json;charset=utf-8");
    private static final MediaType SCRIPT = MediaType.valueOf("application/javascript;charset=utf-8");

    private static void assertReply(Response response, MediaType type, String body) {
        assertEquals(200, response.getStatus(), "every reply is HTTP 200");
        assertEquals(type, response.getMediaType());
        assertEquals("utf-8", response.getMediaType().getParameters().get(MediaType.CHARSET_PARAMETER));
        assertEquals(body, response.getEntity());
    }

    private static Supplier<String> throwing(RuntimeException e) {
        return () -> {
            throw e;
        };
    }

    @Test
    void successWithoutDataIsRetZeroOnly() {
        assertReply(Reply.v1().answer(() -> null), JSON, "{\"ret\":0}");
    }

    @Test
    void successWithDataPutsDataBeforeRet() {
        assertReply(Reply.v1().answer(() -> "{\"timeid\":1234}"), JSON,
                "{\"data\":{\"timeid\":1234},\"ret\":0}");
    }

    @Test
    void dataIsPassedThroughUntouched() {
        String data = "{\"msgs\":[{\"msg\":{\"a\":[1,2]},\"mid\":7,\"gid\":0}]}";
        assertReply(Reply.v1().answer(() -> data), JSON, "{\"data\":" + data + ",\"ret\":0}");
    }

    @Test
    void legacyAddsMsgOkBetweenDataAndRet() {
        assertReply(Reply.legacy(null).answer(() -> null), JSON, "{\"msg\":\"ok\",\"ret\":0}");
        assertReply(Reply.legacy(null).answer(() -> "{\"a\":1}"), JSON,
                "{\"data\":{\"a\":1},\"msg\":\"ok\",\"ret\":0}");
    }

    @Test
    void invalidParameterIs65534() {
        assertReply(Reply.v1().answer(throwing(new InvalidParameterException("bad key"))), JSON,
                "{\"ret\":65534}");
        assertReply(Reply.legacy(null).answer(throwing(new InvalidParameterException("bad key"))), JSON,
                "{\"msg\":\"param error\",\"ret\":65534}");
    }

    @Test
    void pushFailedIs65535() {
        assertReply(Reply.v1().answer(throwing(new PushFailedException("store down"))), JSON,
                "{\"ret\":65535}");
        assertReply(Reply.legacy(null).answer(throwing(new PushFailedException("store down"))), JSON,
                "{\"msg\":\"internal error\",\"ret\":65535}");
    }

    @Test
    void noNodeIs1001() {
        assertReply(Reply.v1().answer(throwing(new NoNodeException("no tcp address"))), JSON,
                "{\"ret\":1001}");
        assertReply(Reply.legacy(null).answer(throwing(new NoNodeException("no tcp address"))), JSON,
                "{\"msg\":\"no node\",\"ret\":1001}");
    }

    @Test
    void anyOtherRuntimeExceptionIs65535() {
        assertReply(Reply.v1().answer(throwing(new IllegalStateException("boom"))), JSON, "{\"ret\":65535}");
        assertReply(Reply.v1().answer(throwing(new NullPointerException())), JSON, "{\"ret\":65535}");
        assertReply(Reply.v1().answer(throwing(new PushException("other") {
            private static final long serialVersionUID = 1L;
        })), JSON, "{\"ret\":65535}");
    }

    @Test
    void errorNeverCarriesData() {
        Response response = Reply.v1().error(Ret.PARAMETER);
        assertReply(response, JSON, "{\"ret\":65534}");
        assertFalse(((String) Reply.legacy(null).error(Ret.NO_NODE).getEntity()).contains("data"));
    }

    @Test
    void jsonpWrapsTheReplyAsScript() {
        assertReply(Reply.v1("cb").answer(() -> null), SCRIPT, "cb({\"ret\":0})");
        assertReply(Reply.v1("cb").answer(() -> "{\"a\":1}"), SCRIPT, "cb({\"data\":{\"a\":1},\"ret\":0})");
        assertReply(Reply.legacy("jQuery19_1385").answer(() -> "{\"a\":1}"), SCRIPT,
                "jQuery19_1385({\"data\":{\"a\":1},\"msg\":\"ok\",\"ret\":0})");
    }

    @Test
    void jsonpWrapsErrorsToo() {
        assertReply(Reply.v1("cb").answer(throwing(new NoNodeException("none"))), SCRIPT, "cb({\"ret\":1001})");
        assertReply(Reply.legacy("a.b").answer(throwing(new InvalidParameterException("x"))), SCRIPT,
                "a.b({\"msg\":\"param error\",\"ret\":65534})");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alert(1)", "a;b", "<script>x</script>", "1cb", "", "evil.", "x y", "/**/cb"})
    void invalidCallbackIsAPlainJsonParameterError(String callback) {
        AtomicBoolean ran = new AtomicBoolean();
        Response response = Reply.v1(callback).answer(() -> {
            ran.set(true);
            return "{\"a\":1}";
        });
        assertReply(response, JSON, "{\"ret\":65534}");
        assertFalse(ran.get(), "the operation is not run when a parameter is invalid");
        if (!callback.isEmpty()) {
            assertFalse(((String) response.getEntity()).contains(callback), "the callback is never echoed");
        }
    }

    @Test
    void invalidLegacyCallbackIsAPlainJsonParameterErrorWithMsg() {
        Response response = Reply.legacy("alert(document.cookie)").answer(() -> "{\"a\":1}");
        assertReply(response, JSON, "{\"msg\":\"param error\",\"ret\":65534}");
        assertFalse(((String) response.getEntity()).contains("alert"));
    }

    @Test
    void noDataWhenRetIsNotZero() {
        for (RuntimeException e : new RuntimeException[] {
            new InvalidParameterException("p"), new PushFailedException("f"), new NoNodeException("n"),
            new IllegalArgumentException("i")}) {
            for (Reply reply : new Reply[] {Reply.v1(), Reply.legacy(null), Reply.v1("cb")}) {
                String body = (String) reply.answer(throwing(e)).getEntity();
                assertFalse(body.contains("\"data\""), () -> body);
                assertTrue(body.contains("\"ret\":"), () -> body);
                assertFalse(body.contains("\"ret\":0}"), () -> body);
            }
        }
    }
}
