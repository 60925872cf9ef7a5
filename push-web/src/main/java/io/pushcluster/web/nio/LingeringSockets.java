package io.pushcluster.web.nio;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The sockets a listener ended and that wait for their clients to close, in the order their wait
 * ends (every socket waits as long); added from any thread, closed by the selector thread.
 */
final class LingeringSockets {

    /** How long a socket the server ended waits for its client to close, before it is closed anyway. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ConcurrentLinkedQueue<Lingering> waiting = new ConcurrentLinkedQueue<>();

    private record Lingering(SubscriberSocket socket, long untilNanos) {
    }

    void add(SubscriberSocket socket) {
        waiting.add(new Lingering(socket, System.nanoTime() + LINGER_NANOS));
    }

    /** Nanoseconds from now until the first wait ends; {@link Long#MAX_VALUE} when none waits. */
    long nextNanos(long now) {
        Lingering first = waiting.peek();
        return first == null ? Long.MAX_VALUE : first.untilNanos() - now;
    }

    /** Closes the sockets whose wait has ended. */
    void closeDue(long now) {
        Lingering first;
        while ((first = waiting.peek()) != null && now - first.untilNanos() >= 0) {
            waiting.poll();
            first.socket().closeNow();
        }
    }

    void clear() {
        waiting.clear();
    }
}
