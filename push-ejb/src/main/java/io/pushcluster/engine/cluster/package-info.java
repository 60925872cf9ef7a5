/**
 * The cluster: which member owns a key ({@link io.pushcluster.engine.cluster.Membership}, a
 * {@link io.pushcluster.engine.ring.KetamaRing} over the members' cards, which carry the addresses the web
 * tier advertises), and
 * carrying pushes to the owner ({@link io.pushcluster.engine.cluster.DeliveryRouter}) over the
 * {@link io.pushcluster.engine.grid.Grid}: Payara's Hazelcast, or a node alone.
 */
package io.pushcluster.engine.cluster;
