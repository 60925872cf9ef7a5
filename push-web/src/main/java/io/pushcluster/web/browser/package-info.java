/**
 * What browsers load: the browser client ({@code GET /push.js}), its demo page ({@code GET /demo}) and
 * the operator's dashboard ({@code GET /dashboard}, behind the admin rule). The files live on the
 * class path beside these classes and are served by a JAX-RS resource: with the application at
 * {@code @ApplicationPath("/")}, JAX-RS takes every path of the WAR, so a file at the WAR's root would
 * never be reached.
 */
package io.pushcluster.web.browser;
