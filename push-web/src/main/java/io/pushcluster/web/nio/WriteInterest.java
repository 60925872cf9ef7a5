package io.pushcluster.web.nio;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;

/**
 * Whether the selector watches a socket for room to write: while its protocol asked to hear when it
 * drains, or its {@link Wire} holds bytes that wait to go out. The selection key is touched only when
 * that changes, so a write that leaves nothing behind costs nothing here.
 */
final class WriteInterest {

    private final SelectionKey key;
    private volatile boolean asked;
    private volatile boolean watching;

    WriteInterest(SelectionKey key) {
        this.key = key;
    }

    /** The protocol asks to hear when the socket drains, or stops asking; false once the key is cancelled. */
    boolean ask(boolean await, Wire wire) {
        asked = await;
        return update(wire);
    }

    boolean asked() {
        return asked;
    }

    /** Watches or stops watching as the protocol and the wire now need; false once the key is cancelled. */
    boolean update(Wire wire) {
        if ((asked || wire.pending()) == watching) {
            return true;
        }
        synchronized (this) {
            boolean want = asked || wire.pending();
            if (want == watching) {
                return true;
            }
            watching = want;
            try {
                if (want) {
                    key.interestOpsOr(SelectionKey.OP_WRITE);
                    key.selector().wakeup();
                } else {
                    key.interestOpsAnd(~SelectionKey.OP_WRITE);
                }
                return true;
            } catch (CancelledKeyException e) {
                return false;
            }
        }
    }
}
