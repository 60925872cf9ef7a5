package io.pushcluster.web.rest;

import java.util.List;
import java.io.InputStream;
import java.util.Map;

/** A request as a {@link Routes route} reads it, whichever HTTP front received it. */
public interface RouteRequest {

    /** A query parameter, percent-decoded; the first of repeated names; null when absent. */
    String query(String name);

    /** Every query parameter, the first value of each name. */
    Map<String, String> query();

    /** The query as sent, not decoded; empty when there is none. */
    String rawQuery();

    /**
     * Every value of a repeated query parameter, percent-decoded, in order; empty when absent.
     *
     * @throws io.pushcluster.api.InvalidParameterException when the query is malformed
     */
    default List<String> queryValues(String name) {
        return Params.formValues(rawQuery(), name);
    }

    /** A header's value, the name given in lower case; null when absent. */
    String header(String name);

    /** The body, as much as the front read of it. */
    InputStream body();

    /** {@code host:port} as the client addressed this node, for the node lookups. */
    String address();
}
