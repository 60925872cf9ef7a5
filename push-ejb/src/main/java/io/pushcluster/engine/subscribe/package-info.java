/**
 * The checks of a subscribe, the same on every transport and in the same order: the parameters
 * ({@link io.pushcluster.engine.subscribe.SubscribeRequest}), then whether this member owns the key,
 * then the token ({@link io.pushcluster.engine.subscribe.SubscribeGate}).
 */
package io.pushcluster.engine.subscribe;
