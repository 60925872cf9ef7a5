/**
 * Groups of keys (multicast): which keys a group holds and which groups a key is in, shared by every
 * member ({@link io.pushcluster.engine.group.Groups}); a group push reaches the keys a group holds
 * when it is pushed.
 */
package io.pushcluster.engine.group;
