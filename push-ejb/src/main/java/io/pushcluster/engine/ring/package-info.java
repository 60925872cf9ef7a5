/**
 * Consistent hashing of keys (such as user ids) to cluster nodes, using a ketama ring that assigns
 * keys exactly as gopush-cluster's Go {@code ketama} package does, so Java and Go members agree.
 */
package io.pushcluster.engine.ring;
