package io.pushcluster.web.rest;

import java.io.InputStream;
import java.util.Map;

/** A request as a {@link Routes route} reads it, whichever HTTP front received it. */
public interface RouteRequest {

    /** A query parameter, percent-decoded; the first of repeated names; null when absent. */
    String query(String name);

    /** Every query parameter, the first value of each name. */
    Map<String, String> query();

    /** A header's value, the name given in lower case; null when absent. */
    String header(String name);

    /** The body, as much as the front read of it. */
    InputStream body();

    /** {@code host:port} as the client addressed this node, for the node lookups. */
    String address();
}
