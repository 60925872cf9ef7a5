/**
 * gopush-cluster's HTTP interface (PROTOCOL.md A.1 to A.3, B.3): public node lookup, offline
 * messages and time, and the admin endpoints, with their ret codes, JSONP and legacy paths. One table
 * of routes ({@link io.pushcluster.web.rest.Routes}) drives both fronts: JAX-RS on Payara's port
 * ({@link io.pushcluster.web.rest.RoutedResource}) and the HTTP listener of our own ({@code web.http}).
 */
package io.pushcluster.web.rest;
