/**
 * Subscribers connected to this node, whatever the transport: the
 * {@link io.pushcluster.engine.connection.Connection} a boundary implements, the hub that holds them
 * per key, and the heartbeat watch.
 */
package io.pushcluster.engine.connection;
