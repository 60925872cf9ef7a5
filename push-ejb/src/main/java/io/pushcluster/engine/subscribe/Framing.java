package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.connection.Ending;

/** How a listener's protocol puts on the wire what the server sends a subscriber. */
public interface Framing {

    /** One push, its JSON already in the subscriber's message form. */
    byte[] message(String json);

    /** {@code +h\r\n}: subscribed, and the answer to every heartbeat. */
    byte[] heartbeat();

    /** The last bytes a refused client gets: the reply of PROTOCOL.md A.4, or none when null. */
    byte[] refusal(String reply);

    /** What goes out before the server closes a subscribed connection; empty for nothing. */
    byte[] farewell();

    /** What goes out before the server ends a subscribed connection on purpose, saying why. */
    byte[] ending(Ending why);
}
