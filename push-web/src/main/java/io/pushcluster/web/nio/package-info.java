/**
 * What every subscriber transport shares: the subscriber's connection with its bounded write queue
 * ({@link io.pushcluster.web.nio.QueuedConnection}) over a {@link io.pushcluster.web.nio.Transport},
 * and the subscribe checks with their replies in the protocol's framing; and what the listeners of
 * our own (TCP, WebSocket and HTTP on ports of their own) are built from: a non-blocking selector loop
 * per listener, on one thread of its own, that accepts up to a cap and closes sockets that have not
 * subscribed in time, and the accepted socket a protocol reads from.
 */
package io.pushcluster.web.nio;
