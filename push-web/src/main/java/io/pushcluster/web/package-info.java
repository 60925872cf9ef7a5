/**
 * The boundaries of the push server: the WebSocket subscribe endpoint, the TCP subscribe listener, the
 * JAX-RS resources of gopush-cluster's web and admin tiers, and health checks. They reach the engine
 * (push-ejb) only through {@link io.pushcluster.api.PushService} and the connection hub.
 */
package io.pushcluster.web;
