package io.pushcluster.web.http;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.web.rest.Answer;
import io.pushcluster.web.rest.Endpoints;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The paths the HTTP listener answers: every endpoint of PROTOCOL.md A.2 and A.3 and the token
 * endpoints of B.3, each calling {@link Endpoints} as the JAX-RS resources do. A route says whether
 * its work may run on the selector thread (it neither waits for the store nor for another member's
 * answer) or goes to a worker.
 */
final class HttpRoutes {

    /**
     * @param method GET or POST
     * @param admin  whether {@link io.pushcluster.web.rest.AdminAccess} guards it
     * @param inline which requests are answered on the selector thread
     */
    record Route(String method, boolean admin, Predicate<HttpRequest> inline, Function<HttpRequest, Answer> work) {
    }

    private static final Predicate<HttpRequest> ALWAYS = request -> true;
    private static final Predicate<HttpRequest> NEVER = request -> false;

    /** The header as {@link HttpRequest#header} names it: in lower case. */
    private static final String IDEMPOTENCY_KEY = Endpoints.IDEMPOTENCY_KEY.toLowerCase(Locale.ROOT);

    private final Map<String, Route> routes = new HashMap<>();

    HttpRoutes(Endpoints endpoints, PushSettings settings) {
        get("/1/time/get", ALWAYS, r -> endpoints.timeV1(r.query("cb")));
        get("/time/get", ALWAYS, r -> endpoints.timeLegacy(r.query("callback")));
        get("/1/server/get", ALWAYS, r -> endpoints.serverOne(r.query("k"), r.query("p"), r.query("cb"),
                requestAddress(r, settings)));
        get("/2/server/get", ALWAYS, r -> endpoints.serverAll(r.query("k"), r.query("p"), r.query("cb"),
                requestAddress(r, settings)));
        get("/server/get", ALWAYS, r -> endpoints.serverLegacy(r.query("key"), r.query("proto"), r.query("callback"),
                requestAddress(r, settings)));
        get("/1/msg/get", NEVER, r -> endpoints.messagesV1(r.query("k"), r.query("m"), r.query("cb")));
        get("/msg/get", NEVER, r -> endpoints.messagesLegacy(r.query("key"), r.query("mid"), r.query("pmid"),
                r.query("callback")));
        // a push with expire 0 is never stored: nothing in it waits, unless another member owns the key
        // and an idempotency key is looked up in the grid
        Predicate<HttpRequest> notStoredHere = r -> "0".equals(r.query("expire")) && endpoints.pushedHere(r.query("key"))
                && r.header(IDEMPOTENCY_KEY) == null;
        Predicate<HttpRequest> notStoredAlone = r -> "0".equals(r.query("expire")) && endpoints.alone()
                && r.header(IDEMPOTENCY_KEY) == null;
        Function<HttpRequest, Answer> push = r -> endpoints.pushPrivate(r.query("key"), r.query("expire"),
                r.header(IDEMPOTENCY_KEY), r.body());
        admin("/1/admin/push/private", notStoredHere, push);
        admin("/admin/push", notStoredHere, push);
        admin("/1/admin/push/mprivate", notStoredAlone, r -> endpoints.pushMany(r.query("expire"),
                r.header(IDEMPOTENCY_KEY), r.body()));
        Function<HttpRequest, Answer> delete = r -> endpoints.deleteMessages(r.query("key"),
                r.header("content-type"), r.body());
        admin("/1/admin/msg/del", NEVER, delete);
        admin("/admin/msg/clean", NEVER, delete);
        admin("/1/admin/token/add", NEVER, r -> endpoints.addToken(r.query(), r.header("content-type"), r.body()));
        admin("/1/admin/token/del", NEVER, r -> endpoints.removeToken(r.query(), r.header("content-type"), r.body()));
    }

    /** The route of a path, or null. */
    Route find(String path) {
        return routes.get(path);
    }

    private void get(String path, Predicate<HttpRequest> inline, Function<HttpRequest, Answer> work) {
        routes.put(path, new Route("GET", false, inline, work));
    }

    private void admin(String path, Predicate<HttpRequest> inline, Function<HttpRequest, Answer> work) {
        routes.put(path, new Route("POST", true, inline, work));
    }

    /**
     * Where a client of this node finds {@code /sub} when no other WebSocket address is configured:
     * the host it reached this listener by, at Payara's HTTP port.
     */
    private static String requestAddress(HttpRequest request, PushSettings settings) {
        String host = request.header("host");
        if (host == null || host.isEmpty()) {
            host = settings.httpBindHost();
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close > 0 ? host.substring(1, close) : host;
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':'));
        }
        return Endpoints.hostPort(host, settings.httpPort() > 0 ? settings.httpPort() : settings.httpBindPort());
    }
}
