package io.pushcluster.engine.cluster;

import io.pushcluster.engine.grid.FakeGrid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Requests reach the member asked, its reply reaches the asker, and no request waits forever. */
class OwnerRequestsTest {

    private final FakeGrid.Cluster cluster = new FakeGrid.Cluster();

    private OwnerRequests member(String id) {
        FakeGrid grid = cluster.join(id);
        OwnerRequests requests = new OwnerRequests(grid);
        grid.onReceive(payload -> {
            assertTrue(OwnerRequests.carries(payload));
            requests.received(payload);
        });
        return requests;
    }

    private static Throwable failureOf(CompletableFuture<byte[]> reply) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> reply.get(10, TimeUnit.SECONDS));
        return failed.getCause();
    }

    @Test
    void theAskedMemberAnswersAndTheReplyReachesTheAsker() throws Exception {
        OwnerRequests a = member("a");
        OwnerRequests b = member("b");
        b.serve((request, reply) -> reply.accept(new byte[] {request[0], 42}));
        assertArrayEquals(new byte[] {7, 42}, a.ask("b", new byte[] {7}, 5_000).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRequestToAMemberNotInTheClusterFailsAtOnce() {
        OwnerRequests a = member("a");
        assertInstanceOf(OwnerRequests.MemberGoneException.class, failureOf(a.ask("nobody", new byte[] {1}, 60_000)));
    }

    @Test
    void aRequestNobodyAnswersTimesOut() {
        OwnerRequests a = member("a");
        member("b");
        assertInstanceOf(TimeoutException.class, failureOf(a.ask("b", new byte[] {1}, 100)));
    }

    @Test
    void requestsToAMemberThatLeftFailWhenTheViewNoLongerHasIt() {
        OwnerRequests a = member("a");
        OwnerRequests b = member("b");
        b.serve((request, reply) -> { });
        CompletableFuture<byte[]> waiting = a.ask("b", new byte[] {1}, 60_000);
        a.keepOnly(List.of("a", "b"));
        assertTrue(!waiting.isDone());
        a.keepOnly(List.of("a"));
        assertInstanceOf(OwnerRequests.MemberGoneException.class, failureOf(waiting));
    }
}
