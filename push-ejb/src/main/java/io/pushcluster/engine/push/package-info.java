/** {@link io.pushcluster.api.PushService} as a stateless EJB: limits, ids, store-then-deliver. */
package io.pushcluster.engine.push;
