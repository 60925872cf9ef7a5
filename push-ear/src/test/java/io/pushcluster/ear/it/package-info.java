/** Integration tests of the EAR on a real Payara Server cluster. */
package io.pushcluster.ear.it;
