/** The WebSocket subscribe endpoint ({@code /sub}) and its connections (PROTOCOL.md A.4). */
package io.pushcluster.web.socket;
