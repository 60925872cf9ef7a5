/**
 * The HTTP listener of our own ({@code push.http.bind}): gopush-cluster's HTTP interface served on the
 * subscriber listeners' selector loop, beside Payara's HTTP port, answering through the same endpoint
 * code as the JAX-RS resources.
 */
package io.pushcluster.web.http;
