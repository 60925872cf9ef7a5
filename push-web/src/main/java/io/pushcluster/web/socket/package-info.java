/**
 * The WebSocket protocol of subscribers (PROTOCOL.md A.4), shared by both ways a WebSocket subscriber
 * comes: the upgrade request and its refusals ({@link io.pushcluster.web.socket.UpgradeRequest}, the
 * origin rule), the frames read ({@link io.pushcluster.web.socket.FrameDecoder}) and written
 * ({@link io.pushcluster.web.socket.WebSocketFraming}); and {@code /sub} on Payara's HTTP port, a servlet
 * that upgrades the connection itself ({@link io.pushcluster.web.socket.SubscribeServlet}) into a
 * transport of the engine's subscriber session ({@link io.pushcluster.web.socket.UpgradedSubscriber}).
 */
package io.pushcluster.web.socket;
