/**
 * The push engine: everything the server does, independent of how clients and back ends reach it.
 * Boundaries (WebSocket, TCP, JAX-RS) live in push-web and talk to the engine through
 * {@link io.pushcluster.api.PushService} and {@link io.pushcluster.engine.connection.Connection}.
 */
package io.pushcluster.engine;
