package io.pushcluster.engine.message;

import java.util.Collection;

/**
 * The public messages (gid 1): one stream every subscriber receives. It is pushed, ordered and stored
 * as the messages of one reserved key, {@link #KEY}: the member that owns that key on the ring gives
 * each public message its id (its pmid, strictly increasing like any key's mids, across restarts and
 * failover), stores it once when it has an expiry, and delivers it to every connection of every member.
 * The key is empty, which no subscriber's key can be.
 */
public final class PublicStream {

    /** The reserved key of the public stream. */
    public static final String KEY = "";

    private PublicStream() {
    }

    /** The gid of a push to these keys: {@link PushedMessage#PUBLIC} for the public stream's key alone. */
    public static int gidOf(Collection<String> keys) {
        return keys.size() == 1 && keys.contains(KEY) ? PushedMessage.PUBLIC : PushedMessage.PRIVATE;
    }
}
