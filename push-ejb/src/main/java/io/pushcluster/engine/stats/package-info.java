/**
 * What the engine counts and times (connections by transport, refusals and disconnects by reason,
 * pushes by kind and ret code, deliveries, store operations, the ring), kept in MicroProfile Metrics'
 * registry for Payara's {@code /metrics} and read back by the admin statistics.
 */
package io.pushcluster.engine.stats;
