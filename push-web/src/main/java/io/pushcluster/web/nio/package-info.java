/**
 * What the listeners of our own (TCP, WebSocket and HTTP on ports of their own) are built from: a
 * non-blocking selector loop per listener, on one thread of its own, that accepts up to a cap and
 * closes sockets that have not subscribed in time, and the accepted socket a protocol reads from,
 * which is the {@link io.pushcluster.engine.subscribe.Transport} of a subscriber's session.
 */
package io.pushcluster.web.nio;
