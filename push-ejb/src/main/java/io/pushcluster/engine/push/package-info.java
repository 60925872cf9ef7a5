/**
 * Pushing: limits, ids, the key's owner doing each push (asked over the grid when it is another
 * member), store-then-deliver in mid order per key, idempotency keys, and the
 * {@link io.pushcluster.api.PushService} EJB for other applications.
 */
package io.pushcluster.engine.push;
