package io.pushcluster.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.grid.SharedMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlocklistTest {

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final SharedMap shared = SharedMap.inMemory();

    private Blocklist list(int limit) {
        return new Blocklist("bans", shared, limit, clock::get);
    }

    @Test
    void anEntryIsBlockedUntilItsTimeAndLiftedOnRequest() {
        Blocklist bans = list(10);
        bans.block("k", 60);
        assertTrue(bans.contains("k"));
        clock.addAndGet(59_999);
        assertTrue(bans.contains("k"));
        clock.addAndGet(1);
        assertFalse(bans.contains("k"), "the ban ended");

        bans.block("k", 60);
        bans.lift("k");
        assertFalse(bans.contains("k"));
        assertEquals(null, shared.get("k"));
    }

    @Test
    void anotherMemberLoadsTheSharedEntriesAndRefreshDropsEndedOnes() {
        Blocklist here = list(10);
        here.block("short", 1);
        here.block("long", 600);
        Blocklist joining = list(10);
        assertTrue(joining.contains("short"));
        assertTrue(joining.contains("long"));

        clock.addAndGet(2_000);
        joining.refresh();

        assertEquals(Map.of("long", clock.get() - 2_000 + 600_000), joining.entries());
        assertEquals(null, shared.get("short"), "the ended ban left the shared map");
    }

    @Test
    void aChangeMirroredWhileARefreshWasLoadingIsNotUndoneByIt() {
        Blocklist here = list(10);
        here.block("k", 600);
        long before = here.version();
        here.mirror("k", 0);
        assertTrue(here.version() > before);
        assertFalse(here.contains("k"), "the mirror follows the change at once");
    }

    @Test
    void theLimitRefusesNewEntriesButNotRenewals() {
        Blocklist bans = list(2);
        bans.block("a", 60);
        bans.block("b", 60);
        InvalidParameterException full = assertThrows(InvalidParameterException.class, () -> bans.block("c", 60));
        assertTrue(full.getMessage().contains("2 bans"), full.getMessage());
        bans.block("a", 120);
        assertFalse(bans.contains("c"));
    }
}
