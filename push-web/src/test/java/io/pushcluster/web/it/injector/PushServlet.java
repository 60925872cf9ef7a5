package io.pushcluster.web.it.injector;

import io.pushcluster.api.PushService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /push?key=K&expire=S} with the message as the body pushes it through the injected
 * {@link PushService} and answers the message id; without {@code key}, it pushes a public message and
 * answers its pmid.
 */
public abstract class PushServlet extends HttpServlet {

    protected abstract PushService pushService();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String message = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long expire = Long.parseLong(request.getParameter("expire"));
        String key = request.getParameter("key");
        long mid = key == null ? pushService().pushPublic(message, expire) : pushService().push(key, message, expire);
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().print(mid);
    }
}
