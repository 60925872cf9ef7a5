/** A message store held in this JVM's memory: for tests and for a node that needs no durability. */
package io.pushcluster.engine.store.memory;
