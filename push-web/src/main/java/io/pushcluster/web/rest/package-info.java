/**
 * gopush-cluster's HTTP interface (PROTOCOL.md A.1 to A.3, B.3): public node lookup, offline
 * messages and time, and the admin endpoints, with their ret codes, JSONP and legacy paths. One table
 * of routes ({@link io.pushcluster.web.rest.Routes}) drives both fronts: a servlet on Payara's port
 * ({@link io.pushcluster.web.rest.RoutedServlet}, mapped to exactly the table's paths) and the HTTP
 * listener of our own ({@code web.http}). JAX-RS serves the rest of Payara's port: the admin statistics
 * and cluster view, and the browser client.
 */
package io.pushcluster.web.rest;
