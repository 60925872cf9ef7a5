package io.pushcluster.web.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * HTTP-level errors (unknown path 404, wrong method 405, unsupported media type, ...) as short plain
 * text with their status, never an HTML page or a stack trace.
 */
@Provider
public class HttpErrors implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        Response.StatusType status = original.getStatusInfo();
        Response.ResponseBuilder reply = Response.status(status.getStatusCode())
                .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                .entity(status.getReasonPhrase() + "\n");
        original.getHeaders().forEach((name, values) -> {
            if ("Allow".equalsIgnoreCase(name) || "WWW-Authenticate".equalsIgnoreCase(name)) {
                values.forEach(value -> reply.header(name, value));
            }
        });
        return reply.build();
    }
}
