/** Message ids: exact in a double, strictly increasing, surviving restarts (PROTOCOL.md B.1). */
package io.pushcluster.engine.id;
