/**
 * Payara's HTTP port against clients that mean harm or make mistakes: requests refused before any
 * endpoint sees them, and the container's log kept to a counted line per kind of client error.
 */
package io.pushcluster.web.guard;
