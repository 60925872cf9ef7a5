/**
 * The HTTP listener of our own ({@code push.http.bind}): gopush-cluster's HTTP interface served by a
 * selector loop of its own like the subscriber listeners' ({@code web.nio}), beside Payara's HTTP port, answering through the same endpoint
 * code as the JAX-RS resources.
 */
package io.pushcluster.web.http;
