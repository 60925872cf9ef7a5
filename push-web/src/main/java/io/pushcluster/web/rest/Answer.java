package io.pushcluster.web.rest;

import jakarta.ws.rs.core.Response;

/**
 * A reply of the protocol's HTTP interface (always HTTP 200, PROTOCOL.md A.1), apart from the
 * transport that sends it: a JAX-RS resource or the HTTP listener of our own.
 *
 * @param contentType the Content-Type header, charset included
 * @param body        the JSON or JSONP text
 */
public record Answer(String contentType, String body) {

    Response response() {
        return Response.ok(body, contentType).build();
    }
}
