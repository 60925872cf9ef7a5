/**
 * What every subscribe transport (WebSocket, TCP) replies, byte for byte as gopush-cluster, and which
 * browser origins may subscribe.
 */
package io.pushcluster.web.subscribe;
