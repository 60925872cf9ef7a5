package io.pushcluster.web.rest;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.config.HostPort;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.web.guard.ClientAddressFilter;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP interface on Payara's port: every path of {@link Routes}, the table the HTTP listener of our
 * own serves too, so that the two fronts cannot drift apart. A plain servlet mapped to exactly those
 * paths, which the servlet container prefers to JAX-RS's mapping of every path: a push through JAX-RS
 * spent most of its time in Jersey and HK2 (results.md, session 8), and the servlet answers the same
 * requests with the same replies without them. The resources of JAX-RS ({@code /1/admin/stats},
 * {@code /1/admin/cluster}, the browser client) keep their paths.
 */
public class RoutedServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(RoutedServlet.class.getName());
    private static final String PLAIN = "text/plain;charset=utf-8";

    @Inject
    transient Routes routes;

    @Inject
    transient PushSettings settings;

    /** Maps the servlet to every path of the table when the application starts. */
    @WebListener
    public static class Registration implements ServletContextListener {

        @Inject
        Routes routes;

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServletRegistration.Dynamic servlet = event.getServletContext().addServlet("routes", RoutedServlet.class);
            servlet.addMapping(routes.paths().toArray(String[]::new));
        }
    }

    /**
     * Answers a request of the table. A client that went away before its answer was written is no error
     * of the server: nothing is logged beyond a fine line, as on the HTTP listener of our own.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        try {
            answer(request, response);
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, "a client went away before its answer was written", e);
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Routes.Route route = routes.find(request.getServletPath());
        Optional<Routes.Refusal> refusal = Routes.refusal(route, request.getMethod(), settings.adminCredential(),
                request.getHeader("Authorization"),
                settings.adminCredential().isEmpty() && ClientAddressFilter.loopback(request));
        if (refusal.isPresent()) {
            Routes.Refusal refused = refusal.get();
            write(response, refused.status(), PLAIN, refused.text(), refused.headers());
            return;
        }
        String rawQuery = request.getQueryString() == null ? "" : request.getQueryString();
        Map<String, String> query;
        try {
            query = Params.form(rawQuery);
        } catch (InvalidParameterException e) {
            write(response, 400, PLAIN, "malformed query\n", Map.of());
            return;
        }
        Answer answer = route.answer(new Request(request, query, rawQuery));
        write(response, 200, answer.contentType(), answer.body(), Map.of());
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body,
            Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The request as the route reads it. */
    private static final class Request implements RouteRequest {

        private final HttpServletRequest request;
        private final Map<String, String> query;
        private final String rawQuery;

        Request(HttpServletRequest request, Map<String, String> query, String rawQuery) {
            this.request = request;
            this.query = query;
            this.rawQuery = rawQuery;
        }

        @Override
        public String query(String name) {
            return query.get(name);
        }

        @Override
        public Map<String, String> query() {
            return query;
        }

        @Override
        public String rawQuery() {
            return rawQuery;
        }

        @Override
        public String header(String name) {
            return request.getHeader(name);
        }

        @Override
        public InputStream body() {
            try {
                return request.getInputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String address() {
            return HostPort.format(request.getServerName(), request.getServerPort());
        }
    }
}
