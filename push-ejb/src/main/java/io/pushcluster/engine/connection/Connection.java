package io.pushcluster.engine.connection;

import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.engine.stats.TransportKind;

/**
 * One subscriber connection, implemented by a transport (WebSocket, TCP). Implementations must not
 * block in {@link #send}: a frame that cannot be written at once is queued, and a connection whose
 * queue is full closes itself.
 */
public interface Connection {

    /** The key this connection subscribed to. */
    String key();

    /** What carries it, for the connection counts by transport. */
    TransportKind transport();

    /**
     * Queues one message for writing.
     *
     * @return false if the connection is closed, or has just closed itself because it could not keep up
     */
    boolean send(PushedMessage message);

    /** Closes the connection; the transport then calls {@link ConnectionHub#remove}. */
    void close();

    /** Tells the subscriber why, then closes the connection as {@link #close} does. */
    void end(Ending why);

    /** {@link System#nanoTime()} when the subscriber last sent something. */
    long lastHeardNanos();

    /** How long the subscriber may stay silent before it is closed, in nanoseconds. */
    long silenceLimitNanos();
}
