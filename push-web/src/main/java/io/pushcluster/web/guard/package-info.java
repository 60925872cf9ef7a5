/**
 * Against clients that mean harm or make mistakes: who a client is and whether it is served on every
 * transport ({@link io.pushcluster.web.guard.ClientAddresses}: address lists, trusted proxies,
 * connections per address), requests Payara's HTTP port refuses before any endpoint sees them, and the
 * container's log kept to a counted line per kind of client error.
 */
package io.pushcluster.web.guard;
