/**
 * The HTTP listener of our own ({@code push.http.bind}): gopush-cluster's HTTP interface served by a
 * selector loop of its own like the subscriber listeners' ({@code web.nio}), beside Payara's HTTP
 * port, through the same table of routes as Payara's port ({@code web.rest.Routes}).
 */
package io.pushcluster.web.http;
