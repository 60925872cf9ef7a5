package io.pushcluster.engine.subscribe;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte stream under one subscriber connection, whatever carries it: a socket of a listener of
 * our own, or an HTTP connection Payara upgraded. {@link SubscriberSession} and {@link Subscriptions}
 * own the protocol over it; a transport only moves bytes and never blocks.
 */
public interface Transport {

    /**
     * Writes what the transport takes now, leaving the rest in the buffer.
     *
     * @throws IOException when the peer is gone
     */
    void writeSome(ByteBuffer bytes) throws IOException;

    /**
     * Asks for {@link SubscriberSession#writable} once the transport takes more after a write that
     * left bytes behind, or stops asking.
     */
    void awaitWritable(boolean await);

    boolean isClosed();

    /** Sends a refused client its last bytes and ends the stream. */
    void refuse(byte[] reply);

    /** The subscribe succeeded: from now on the connection's frames go out over this transport. */
    void subscribed(SubscriberSession connection);

    /** Closes the transport alone; {@link SubscriberSession#close} has the hub's part. */
    void closeTransport();
}
