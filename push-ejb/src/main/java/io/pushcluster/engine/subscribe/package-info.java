/**
 * A subscriber's session, the same on every transport: the checks of a subscribe in one order (the
 * parameters, {@link io.pushcluster.engine.subscribe.SubscribeRequest}; whether this member owns the
 * key, then the token, {@link io.pushcluster.engine.subscribe.SubscribeGate}), the replies of
 * PROTOCOL.md A.4 ({@link io.pushcluster.engine.subscribe.Replies}), and the session a successful
 * subscribe opens ({@link io.pushcluster.engine.subscribe.SubscriberSession}): {@code +h} before any
 * push, the bounded write queue, the heartbeat, the last frame before a close. A transport (a socket of
 * a listener, an HTTP connection Payara upgraded) implements {@link io.pushcluster.engine.subscribe.Transport}
 * and {@link io.pushcluster.engine.subscribe.Framing}: it moves bytes and closes, nothing more.
 */
package io.pushcluster.engine.subscribe;
