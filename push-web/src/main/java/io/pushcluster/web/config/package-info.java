/**
 * The transports' settings ({@link io.pushcluster.web.config.TransportSettings}: the listeners of our
 * own, {@code /sub}, browser origins, public addresses) and where clients reach this member's
 * transports ({@link io.pushcluster.web.config.ListenerAddresses}), which the web tier puts on the
 * member's card: the engine knows no listener.
 */
package io.pushcluster.web.config;
