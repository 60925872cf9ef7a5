package io.pushcluster.engine.push;

import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.cluster.DeliveryRouter;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.OwnerRequests;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;

/** {@link Pushes} and its {@link OwnedPushes} wired by hand, as the container wires them, for unit tests. */
final class WiredPushes {

    private WiredPushes() {
    }

    static Pushes of(PushSettings settings, MessageStore store, Membership membership, OwnerRequests requests,
            DeliveryRouter router, IdempotencyKeys idempotency, PushStats stats) {
        MessageIdSource ids = new MessageIdSource();
        OwnedPushes owned = new OwnedPushes();
        owned.ids = ids;
        owned.store = store;
        owned.router = router;
        owned.membership = membership;
        owned.requests = requests;
        owned.idempotency = idempotency;
        owned.stats = stats;
        owned.start();
        owned.serveOtherMembers();
        Pushes pushes = new Pushes();
        pushes.settings = settings;
        pushes.ids = ids;
        pushes.store = store;
        pushes.membership = membership;
        pushes.requests = requests;
        pushes.tokens = new Tokens(settings);
        pushes.stats = stats;
        pushes.owned = owned;
        pushes.start();
        return pushes;
    }
}
