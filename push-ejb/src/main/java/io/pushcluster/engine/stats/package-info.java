/** Counters of connections and messages since the application started, read by the admin statistics. */
package io.pushcluster.engine.stats;
