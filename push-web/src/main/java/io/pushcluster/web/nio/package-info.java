/**
 * What the listeners of our own (TCP, and WebSocket on its own port) share: a non-blocking selector
 * loop that accepts up to a cap and closes sockets that have not subscribed in time, the accepted
 * socket a protocol reads from, the hub's connection with its bounded write queue, and the subscribe
 * checks with their replies in the protocol's framing.
 */
package io.pushcluster.web.nio;
