/**
 * The TCP subscribe listener (PROTOCOL.md A.5): gopush-cluster's Redis multi-bulk {@code sub} command,
 * single-byte heartbeats and {@code $len\r\n<json>\r\n} pushes, served by a non-blocking selector
 * loop of its own on a thread from the container.
 */
package io.pushcluster.web.tcp;
