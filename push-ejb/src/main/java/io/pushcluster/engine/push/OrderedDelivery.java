package io.pushcluster.engine.push;

import io.pushcluster.engine.message.PushedMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Per key, the order in which pushes reach delivery: the order of their mids. A push takes its mid
 * and its place in the queue of each of its keys in one step, under those keys' locks, so that a key's
 * queue holds mids in increasing order. It is then stored (or not) without holding anything, and
 * settled: its outcome is noted, and every settled push at the head of one of its keys' queues is
 * handed to delivery in queue order, by whichever thread settled. A push settled behind a head that
 * is still being stored waits in the queue, not in its caller: the caller returns once its own
 * outcome is known, and its message goes out as soon as the pushes before it are settled, which the
 * store's time-outs bound. A push that failed is dropped from its queues unseen.
 *
 * <p>A key's queue exists only while pushes to it are in flight. Locks are taken in key order, so
 * that pushes to many keys never wait for each other in a cycle.
 */
final class OrderedDelivery {

    /** Hands one message to the connections of its keys, wherever they are. */
    interface Dispatch {
        void deliver(Collection<String> keys, PushedMessage message);
    }

    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final LongSupplier ids;
    private final Dispatch dispatch;

    /**
     * @param ids      hands out mids, each greater than every one before
     * @param dispatch called with every message in mid order per key, under the keys' locks: it must
     *                 not block
     */
    OrderedDelivery(LongSupplier ids, Dispatch dispatch) {
        this.ids = ids;
        this.dispatch = dispatch;
    }

    /** A push between {@link #enter} and {@link #settle}. */
    static final class Entry {
        private final PushedMessage message;
        private final List<Ticket> tickets;

        private Entry(PushedMessage message, int keys) {
            this.message = message;
            this.tickets = new ArrayList<>(keys);
        }

        long mid() {
            return message.mid();
        }

        PushedMessage message() {
            return message;
        }
    }

    /** One key's place in its queue. */
    private static final class Ticket {
        final Entry entry;
        final Lane lane;
        /** Guarded by the lane's lock. */
        boolean settled;
        boolean failed;

        Ticket(Entry entry, Lane lane) {
            this.entry = entry;
            this.lane = lane;
        }
    }

    /** The pushes in flight to one key, oldest (smallest mid) first. */
    private static final class Lane {
        final String key;
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<Ticket> queue = new ArrayDeque<>(4);
        /** Set when the lane was emptied and left the map: whoever finds it so looks the key up again. */
        boolean retired;

        Lane(String key) {
            this.key = key;
        }
    }

    /** A message leaving a queue for one key. */
    private record Departure(String key, PushedMessage message) {
    }

    /**
     * Gives the push its mid and its place in the queue of every key.
     *
     * @param keys distinct keys, in their natural order
     */
    Entry enter(SortedSet<String> keys, int gid, String json) {
        while (true) {
            List<Lane> held = new ArrayList<>(keys.size());
            boolean current = true;
            try {
                for (String key : keys) {
                    Lane lane = lanes.computeIfAbsent(key, Lane::new);
                    lane.lock.lock();
                    held.add(lane);
                    if (lane.retired) {
                        current = false;
                        break;
                    }
                }
                if (current) {
                    Entry entry = new Entry(new PushedMessage(ids.getAsLong(), gid, json), keys.size());
                    for (Lane lane : held) {
                        Ticket ticket = new Ticket(entry, lane);
                        lane.queue.addLast(ticket);
                        entry.tickets.add(ticket);
                    }
                    return entry;
                }
            } finally {
                unlock(held);
            }
        }
    }

    /**
     * Notes the push's outcome for each key and hands to delivery what is now at the head of its
     * keys' queues. Call exactly once per entry.
     *
     * @param failedKeys keys whose store failed: nothing is delivered to them
     */
    void settle(Entry entry, Collection<String> failedKeys) {
        List<Lane> held = new ArrayList<>(entry.tickets.size());
        List<Departure> leaving = new ArrayList<>();
        try {
            for (Ticket ticket : entry.tickets) {
                ticket.lane.lock.lock();
                held.add(ticket.lane);
                ticket.settled = true;
                ticket.failed = !failedKeys.isEmpty() && failedKeys.contains(ticket.lane.key);
                drain(ticket.lane, leaving);
            }
            deliver(leaving);
            // only now: a lane made for the key after this one could otherwise deliver before it
            for (Lane lane : held) {
                if (lane.queue.isEmpty()) {
                    lane.retired = true;
                    lanes.remove(lane.key, lane);
                }
            }
        } finally {
            unlock(held);
        }
    }

    /** Takes the settled pushes off the head of the queue. */
    private void drain(Lane lane, List<Departure> leaving) {
        Ticket head;
        while ((head = lane.queue.peekFirst()) != null && head.settled) {
            lane.queue.pollFirst();
            if (!head.failed) {
                leaving.add(new Departure(lane.key, head.entry.message));
            }
        }
    }

    /**
     * In mid order, which keeps each key's order, and one call per message for all its keys that
     * leave now.
     */
    private void deliver(List<Departure> leaving) {
        if (leaving.isEmpty()) {
            return;
        }
        if (leaving.size() == 1) {
            Departure only = leaving.get(0);
            dispatch.deliver(List.of(only.key()), only.message());
            return;
        }
        leaving.sort(Comparator.comparingLong(departure -> departure.message().mid()));
        int from = 0;
        while (from < leaving.size()) {
            PushedMessage message = leaving.get(from).message();
            List<String> keys = new ArrayList<>();
            int to = from;
            while (to < leaving.size() && leaving.get(to).message() == message) {
                keys.add(leaving.get(to).key());
                to++;
            }
            dispatch.deliver(keys, message);
            from = to;
        }
    }

    private static void unlock(List<Lane> held) {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).lock.unlock();
        }
    }

    /** Keys with pushes in flight (for tests). */
    int keysInFlight() {
        return lanes.size();
    }
}
