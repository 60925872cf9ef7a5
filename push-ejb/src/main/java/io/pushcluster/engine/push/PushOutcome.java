package io.pushcluster.engine.push;

import java.util.Collection;
import java.util.List;

/**
 * A push done, here or by its keys' owner: its mid and the keys it failed for.
 *
 * @param notOwned keys the member asked did not push, since it does not own them
 * @param lost     a stored push's keys whose owner died while it was asked: whether it stored them is
 *                 known once its save could no longer happen, at {@code settledAtNanos}
 * @param floorMid the mid the owner's mid exceeds, to look for what it stored
 */
record PushOutcome(long mid, Collection<String> failed, Collection<String> notOwned, Collection<String> lost,
        long settledAtNanos, long floorMid) {

    PushOutcome(long mid, Collection<String> failed) {
        this(mid, failed, List.of(), List.of(), 0, 0);
    }

    PushOutcome(long mid, Collection<String> failed, Collection<String> notOwned) {
        this(mid, failed, notOwned, List.of(), 0, 0);
    }
}
