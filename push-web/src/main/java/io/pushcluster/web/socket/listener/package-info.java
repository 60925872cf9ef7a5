/**
 * The WebSocket listener of our own, on {@code push.websocket.bind}: the {@code /sub} protocol of
 * PROTOCOL.md A.4 over a minimal RFC 6455 server (the upgrade of {@code GET /sub?...}, masked client
 * frames, unmasked server frames), served by a selector loop of its own ({@code web.nio}). One port
 * per member for subscribers, as gopush-cluster's comet had; the {@code /sub} endpoint on Payara's HTTP
 * port ({@code web.socket}) stays.
 */
package io.pushcluster.web.socket.listener;
