package io.pushcluster.web.browser;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/** {@code GET /push.js}, the JavaScript client, and {@code GET /demo}, a page that uses it. */
@Path("")
public class BrowserClientResource {

    static final MediaType JAVASCRIPT = new MediaType("application", "javascript", "utf-8");
    static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("utf-8");

    private static final StaticFile CLIENT = StaticFile.load("push.js", JAVASCRIPT);
    private static final StaticFile DEMO = StaticFile.load("demo.html", HTML);

    @GET
    @Path("push.js")
    public Response client(@Context Request request) {
        return CLIENT.serve(request);
    }

    @GET
    @Path("demo")
    public Response demo(@Context Request request) {
        return DEMO.serve(request);
    }
}
