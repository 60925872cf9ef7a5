package io.pushcluster.web.browser;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /dashboard}: the operator's page, which reads {@code /1/admin/stats} and
 * {@code /1/admin/cluster} every second and draws them. The admin rule guards it as it guards those
 * ({@code AdminAccessFilter}); a browser gives the credential as Basic authentication's password.
 */
@Path("dashboard")
public class DashboardResource {

    private static final StaticFile PAGE = StaticFile.load("dashboard.html", BrowserClientResource.HTML);

    @GET
    public Response page(@Context Request request) {
        return PAGE.serve(request);
    }
}
