package io.pushcluster.engine.push;

import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.Expiry;
import io.pushcluster.engine.FailureLog;
import io.pushcluster.engine.cluster.DeliveryRouter;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.cluster.OwnerRequests;
import io.pushcluster.engine.id.MessageIdSource;
import io.pushcluster.engine.message.PublicStream;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.PartialSaveException;
import io.pushcluster.engine.store.TransientFailures;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The pushes this member does as the owner of their keys: the ones {@link Pushes} accepted here for
 * keys this member owns, and the ones other members ask it for. Each gets its mid and its place in
 * its keys' queues in one step ({@link OrderedDelivery}), is stored when it has an expiry, and goes to
 * delivery in mid order. A push with an idempotency key is claimed first ({@link IdempotencyKeys}).
 * Another member's request is entered on the grid's thread, in the order that member sent it; its
 * store work runs on threads of this bean's own, and a member that does not own a key it is asked for
 * answers so instead of pushing.
 */
@ApplicationScoped
public class OwnedPushes {

    private static final Logger LOG = Logger.getLogger(OwnedPushes.class.getName());

    /** Threads doing the stored pushes other members ask this one for. */
    private static final int OWNER_WORKERS = 32;
    private static final int OWNER_QUEUE = 10_000;

    @Inject
    MessageIdSource ids;

    @Inject
    MessageStore store;

    @Inject
    DeliveryRouter router;

    @Inject
    Membership membership;

    @Inject
    OwnerRequests requests;

    @Inject
    IdempotencyKeys idempotency;

    @Inject
    PushStats stats;

    /** Makes the threads of stored pushes asked for by other members; null outside a container (tests). */
    @Resource
    ManagedThreadFactory threads;

    private final FailureLog failures = new FailureLog(LOG);
    private OrderedDelivery order;
    private ThreadPoolExecutor ownerWork;

    @PostConstruct
    void start() {
        order = new OrderedDelivery(ids::next, this::deliver);
        ThreadFactory factory = threads != null ? threads : task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        };
        ownerWork = new ThreadPoolExecutor(OWNER_WORKERS, OWNER_WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(OWNER_QUEUE), runnable -> {
                    Thread thread = factory.newThread(runnable);
                    thread.setName("push-owner-" + thread.getId());
                    return thread;
                });
        ownerWork.allowCoreThreadTimeOut(true);
    }

    /**
     * Answers other members' requests from now on. Called when the application starts (by
     * {@link Housekeeping}), since an application-scoped bean is made only when first used, and a
     * member that pushes nothing itself must still answer for its keys.
     */
    void serveOtherMembers() {
        requests.serve(this::pushForAnotherMember);
    }

    /** Lets the pushes other members asked for finish (and be answered) before the application stops. */
    @PreDestroy
    void stop() {
        ownerWork.shutdown();
        try {
            ownerWork.awaitTermination(store.longestSaveMillis() + OwnerRouting.GRID_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pushes to keys this member owns, without an idempotency key. */
    PushOutcome push(SortedSet<String> keys, String json, long expireSeconds) {
        return pushHere(order.enter(keys, PublicStream.gidOf(keys), json), keys, json, expireSeconds);
    }

    private void deliver(Collection<String> keys, PushedMessage message) {
        try {
            stats.delivered(router.deliver(keys, message));
        } catch (RuntimeException e) {
            failures.log("delivering a message to " + keys.size() + " keys", e);
        }
    }

    /** What another member asks of this one as the keys' owner; on a grid thread, which must not wait. */
    private void pushForAnotherMember(byte[] bytes, Consumer<byte[]> reply) {
        OwnerPush.Request request;
        try {
            request = OwnerPush.Request.fromBytes(bytes);
        } catch (IllegalArgumentException e) {
            failures.log("reading a push asked for by another member", e);
            reply.accept(OwnerPush.Reply.unreadable().toBytes());
            return;
        }
        long deadlineNanos = System.nanoTime() + request.budgetMillis() * 1_000_000L;
        ids.advancePast(request.floorMid());
        SortedSet<String> keys = new TreeSet<>();
        List<String> notOwned = new ArrayList<>();
        for (String key : request.keys()) {
            (membership.ownsLocally(key) ? keys : notOwned).add(key);
        }
        if (keys.isEmpty()) {
            reply.accept(new OwnerPush.Reply(0, List.of(), notOwned, false).toBytes());
            return;
        }
        Consumer<byte[]> answerWithNotOwned = notOwned.isEmpty() ? reply : answered -> {
            OwnerPush.Reply done = OwnerPush.Reply.fromBytes(answered);
            reply.accept(new OwnerPush.Reply(done.mid(), done.failedKeys(), notOwned, done.refused()).toBytes());
        };
        pushAsOwner(request, keys, deadlineNanos, answerWithNotOwned);
    }

    private void pushAsOwner(OwnerPush.Request request, SortedSet<String> keys, long deadlineNanos,
            Consumer<byte[]> reply) {
        if (!request.idempotencyKey().isEmpty()) {
            // looking records up may wait: on a worker, and the store's time is kept back for the push
            long claimDeadline = deadlineNanos - store.longestSaveMillis() * 1_000_000L;
            onWorker(keys, reply, () -> {
                try {
                    reply.accept(answer(pushOnce(keys, request.json(), request.expireSeconds(), request.idempotencyKey(),
                            claimDeadline)));
                } catch (RuntimeException e) {
                    failures.log("a push with an idempotency key asked for by another member", e);
                    reply.accept(answer(new PushOutcome(0, keys)));
                }
            });
            return;
        }
        // entered here, on the grid's thread, so that one member's pushes keep the order it sent them in
        OrderedDelivery.Entry entry = order.enter(keys, request.gid(), request.json());
        if (request.expireSeconds() == 0) {
            reply.accept(answer(pushHere(entry, keys, request.json(), 0)));
            return;
        }
        boolean queued = onWorker(keys, reply, () -> {
            if (System.nanoTime() + store.longestSaveMillis() * 1_000_000L - deadlineNanos > 0) {
                order.settle(entry, keys);
                stats.failed(keys.size());
                failures.log("a push asked for by another member", new IllegalStateException(
                        "it waited too long here to be stored before the asking member gives up"));
                reply.accept(answer(new PushOutcome(entry.mid(), keys)));
                return;
            }
            reply.accept(answer(pushHere(entry, keys, request.json(), request.expireSeconds())));
        });
        if (!queued) {
            order.settle(entry, keys);
        }
    }

    /**
     * Runs the work on a worker. When none can take it (the application is stopping, or too much is
     * queued) nothing was done, and the keys are answered as not pushed here, so that the asking member
     * tries their owner again in a fresh view; returns false then.
     */
    private boolean onWorker(SortedSet<String> keys, Consumer<byte[]> reply, Runnable work) {
        try {
            ownerWork.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            failures.log("a push asked for by another member", e);
            reply.accept(new OwnerPush.Reply(0, List.of(), List.copyOf(keys), false).toBytes());
            return false;
        }
    }

    /**
     * A push with an idempotency key, on the keys' owner: the keys an earlier try pushed to are
     * answered with its mid and skipped; the others are claimed, pushed, and marked done (or given up
     * when they failed).
     */
    PushOutcome pushOnce(SortedSet<String> keys, String json, long expireSeconds, String idempotencyKey,
            long claimDeadlineNanos) {
        Map<String, Long> earlier = idempotency.claim(idempotencyKey, keys,
                IdempotencyKeys.fingerprint(json, expireSeconds), claimDeadlineNanos);
        SortedSet<String> claimed = new TreeSet<>(keys);
        claimed.removeAll(earlier.keySet());
        if (claimed.isEmpty()) {
            return new PushOutcome(earlier.get(keys.first()), Set.of());
        }
        OrderedDelivery.Entry entry;
        try {
            entry = order.enter(claimed, PublicStream.gidOf(claimed), json);
        } catch (RuntimeException e) {
            idempotency.release(idempotencyKey, claimed);
            throw e;
        }
        try {
            idempotency.noteMid(idempotencyKey, claimed, entry.mid());
        } catch (RuntimeException e) {
            order.settle(entry, claimed);
            idempotency.release(idempotencyKey, claimed);
            throw new PushFailedException("noting the push's idempotency key failed", e);
        }
        PushOutcome outcome = pushHere(entry, claimed, json, expireSeconds);
        Set<String> succeeded = new HashSet<>(claimed);
        succeeded.removeAll(outcome.failed());
        idempotency.done(idempotencyKey, succeeded, entry.mid());
        idempotency.release(idempotencyKey, outcome.failed());
        return outcome;
    }

    private static byte[] answer(PushOutcome outcome) {
        return new OwnerPush.Reply(outcome.mid(), List.copyOf(outcome.failed()), List.of(), false).toBytes();
    }

    /** Stores the entered push (when it has an expiry), then lets it go to delivery in its keys' order. */
    private PushOutcome pushHere(OrderedDelivery.Entry entry, SortedSet<String> keys, String json, long expireSeconds) {
        Collection<String> failed = keys;
        try {
            if (expireSeconds > 0) {
                StoredMessage stored = new StoredMessage(entry.mid(), entry.message().gid(), json,
                        expiresAt(expireSeconds));
                failed = save(keys, stored);
                stats.failed(failed.size());
                stats.stored(keys.size() - failed.size());
            } else {
                failed = Set.of();
            }
        } finally {
            order.settle(entry, failed);
        }
        stats.pushed(keys.size() - failed.size());
        return new PushOutcome(entry.mid(), failed);
    }

    /** The keys whose save failed: some of them when the store is spread over servers, else all or none. */
    private Collection<String> save(SortedSet<String> keys, StoredMessage stored) {
        try {
            if (keys.size() == 1) {
                String key = keys.first();
                TransientFailures.retry(() -> store.save(key, stored));
            } else {
                TransientFailures.retry(() -> store.saveForKeys(keys, stored));
            }
            return Set.of();
        } catch (PartialSaveException e) {
            failures.log("storing a message for " + e.failedKeys().size() + " of " + keys.size() + " keys", e);
            return Set.copyOf(e.failedKeys());
        } catch (RuntimeException e) {
            failures.log("storing a message for " + (keys.size() == 1 ? "key " + keys.first() : keys.size() + " keys"), e);
            return keys;
        }
    }

    private static long expiresAt(long expireSeconds) {
        return Expiry.at(System.currentTimeMillis(), expireSeconds);
    }
}
