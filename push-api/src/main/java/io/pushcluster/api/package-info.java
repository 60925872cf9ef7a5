/**
 * The contract that applications use to push: {@link io.pushcluster.api.PushService} and the types
 * it takes and returns. This package has no dependencies beyond the JDK, so it can sit on a server's
 * shared class path and be injected by any application deployed beside the push server.
 */
package io.pushcluster.api;
