/**
 * The load client (issue 6): drives a running push server over its public protocol only (WebSocket
 * {@code /sub}, the admin push endpoints, {@code /1/msg/get}, {@code /1/admin/stats}) and reports
 * connect rates, server memory per connection, push and delivery rates and push-to-receipt latency.
 * Built only with {@code -Pload} into {@code push-web/target/push-load.jar}; never part of the WAR.
 * Subscribers and HTTP requests each run on one selector thread, so one process holds ~19,000
 * connections within this machine's 20,000 open files.
 */
package io.pushcluster.load;
