/** MicroProfile Health checks: readiness includes the message store, liveness the node itself. */
package io.pushcluster.web.health;
