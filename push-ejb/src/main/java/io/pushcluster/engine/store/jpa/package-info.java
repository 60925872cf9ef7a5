/**
 * The relational message store (JPA): one row per key and message, keyed by (key, mid), with an
 * index on the expiry for the purge. Runs on the default datasource (H2) or any JTA datasource the
 * operator names in the persistence unit.
 */
package io.pushcluster.engine.store.jpa;
