/**
 * The relational message store (JPA): one row per key and message, keyed by (key, mid), with an
 * index on the expiry for the purge; a message saved for several keys is one row of its own
 * ({@link io.pushcluster.engine.store.jpa.MessageBody}) that the keys' rows refer to, counted, so that
 * it goes with the last reference or its expiry. The entity defines the table; pushes and fetches run in plain
 * JDBC on the persistence unit's data source, the saves of concurrent pushes grouped into one
 * transaction per batch. Runs on the default datasource (H2) or any JTA datasource the operator names
 * in the persistence unit.
 */
package io.pushcluster.engine.store.jpa;
