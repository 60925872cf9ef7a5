/**
 * gopush-cluster's HTTP interface (PROTOCOL.md A.1 to A.3, B.3): public node lookup, offline
 * messages and time, and the admin endpoints, with their ret codes, JSONP and legacy paths.
 */
package io.pushcluster.web.rest;
