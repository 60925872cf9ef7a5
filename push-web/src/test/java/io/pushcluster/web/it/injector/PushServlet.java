package io.pushcluster.web.it.injector;

import io.pushcluster.api.PushService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /push?key=K&expire=S} with the message as the body pushes it through the injected
 * {@link PushService} and answers the message id; without {@code key}, it pushes a public message and
 * answers its pmid; with {@code group=G&k=K} instead, it adds K to G and pushes to the group, answering
 * the keys that failed ({@code []}). {@code GET /push?k=K1&k=K2} answers the keys' presence ({@code {K1=2, K2=0}}).
 */
public abstract class PushServlet extends HttpServlet {

    protected abstract PushService pushService();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] keys = request.getParameterValues("k");
        if (keys == null) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().print(pushService().presence(List.of(keys)));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String message = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long expire = Long.parseLong(request.getParameter("expire"));
        String group = request.getParameter("group");
        if (group != null) {
            pushService().addToGroup(group, List.of(request.getParameter("k")));
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().print(pushService().pushToGroup(group, message, expire));
            return;
        }
        String key = request.getParameter("key");
        long mid = key == null ? pushService().pushPublic(message, expire) : pushService().push(key, message, expire);
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().print(mid);
    }
}
