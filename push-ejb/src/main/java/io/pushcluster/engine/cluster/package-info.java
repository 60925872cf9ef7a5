/**
 * The cluster: which member owns a key ({@link io.pushcluster.engine.cluster.Membership}, a
 * {@link io.pushcluster.engine.ring.KetamaRing} over the members' cards, which carry the addresses the web
 * tier advertises), carrying pushes to the owner ({@link io.pushcluster.engine.cluster.DeliveryRouter},
 * public messages to every member), asking owners over the grid ({@link io.pushcluster.engine.cluster.OwnerRequests})
 * to push or to count who is online ({@link io.pushcluster.engine.cluster.Presence}), kicks, bans and
 * denied client addresses applied on every member ({@link io.pushcluster.engine.cluster.AccessControls},
 * {@link io.pushcluster.engine.cluster.Blocklist}), over the
 * {@link io.pushcluster.engine.grid.Grid}: Payara's Hazelcast, or a node alone.
 */
package io.pushcluster.engine.cluster;
