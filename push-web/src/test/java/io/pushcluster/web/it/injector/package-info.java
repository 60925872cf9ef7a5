/**
 * A separate application that injects the push server's {@code PushService} and pushes through it, as
 * an operator's own application would; deployed beside the push server in the integration tests.
 */
package io.pushcluster.web.it.injector;
