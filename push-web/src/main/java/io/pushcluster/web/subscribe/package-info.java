/** What every subscribe transport (WebSocket, TCP) replies, byte for byte as gopush-cluster. */
package io.pushcluster.web.subscribe;
