/**
 * The data grid the members of a cluster share: Payara's Hazelcast ({@link io.pushcluster.engine.grid.HazelcastGrid}),
 * or a node alone ({@link io.pushcluster.engine.grid.SoloGrid}); maps every member sees, the cards the
 * members publish, and messages to one member.
 */
package io.pushcluster.engine.grid;
