package io.pushcluster.engine.connection;

/**
 * Why the server ends a subscribed connection on purpose, which the subscriber is told in its
 * transport's way before the close (see the README's replies), so that it does not reconnect in a loop.
 */
public enum Ending {
    /** Another connection took the key's place ({@code push.subscribers.on-excess=kick-oldest}), or an admin kicked it. */
    KICKED,
    /** An admin banned the key. */
    BANNED,
    /** The subscriber sent more frames in a second than {@code push.limit.client-frames-per-second}. */
    TOO_MANY_FRAMES
}
