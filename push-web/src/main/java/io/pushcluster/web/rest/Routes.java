package io.pushcluster.web.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP interface, one table for both fronts: every endpoint of PROTOCOL.md A.2 and A.3 and the
 * token endpoints of B.3, with its method, whether the admin guard applies, and the {@link Endpoints}
 * call it makes. Payara's port serves it through {@link RoutedServlet}, the HTTP listener of our own
 * through its sockets. A route also says which requests its work may answer on a listener's selector
 * thread (they wait neither for the store nor for another member); Payara's port ignores that.
 */
@ApplicationScoped
public class Routes {

    /** The headers as the routes ask for them: in lower case. */
    private static final String IDEMPOTENCY_KEY = Endpoints.IDEMPOTENCY_KEY.toLowerCase(Locale.ROOT);
    private static final String CONTENT_TYPE = "content-type";
    private static final Predicate<RouteRequest> ALWAYS = request -> true;
    private static final Predicate<RouteRequest> NEVER = request -> false;

    /**
     * @param method GET or POST
     * @param admin  whether {@link AdminAccess} guards it
     * @param inline which requests are answered on the selector thread of a listener of our own
     */
    public record Route(String method, boolean admin, Predicate<RouteRequest> inline,
            Function<RouteRequest, Answer> work) {

        /** The route's answer; an unexpected failure is logged and answered 65535, never passed on. */
        public Answer answer(RouteRequest request) {
            try {
                return work.apply(request);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "request failed", e);
                return Endpoints.internalError();
            }
        }
    }

    /** A request either front answers in plain text before any route's work: status, reason, text, headers. */
    public record Refusal(int status, String reason, String text, Map<String, String> headers) {
    }

    private static final Logger LOG = Logger.getLogger(Routes.class.getName());

    private final Map<String, Route> routes;

    /** For the container's proxy only. */
    protected Routes() {
        routes = Map.of();
    }

    @Inject
    public Routes(Endpoints endpoints, GroupEndpoints groups, AccessEndpoints access) {
        Map<String, Route> table = new LinkedHashMap<>();
        get(table, "/1/time/get", ALWAYS, r -> endpoints.timeV1(r.query("cb")));
        get(table, "/time/get", ALWAYS, r -> endpoints.timeLegacy(r.query("callback")));
        get(table, "/1/server/get", ALWAYS, r -> endpoints.serverOne(r.query("k"), r.query("p"), r.query("cb"),
                r.address()));
        get(table, "/2/server/get", ALWAYS, r -> endpoints.serverAll(r.query("k"), r.query("p"), r.query("cb"),
                r.address()));
        get(table, "/server/get", ALWAYS, r -> endpoints.serverLegacy(r.query("key"), r.query("proto"),
                r.query("callback"), r.address()));
        get(table, "/1/msg/get", NEVER, r -> endpoints.messagesV1(r.query("k"), r.query("m"), r.query("pm"),
                r.query("cb")));
        get(table, "/msg/get", NEVER, r -> endpoints.messagesLegacy(r.query("key"), r.query("mid"), r.query("pmid"),
                r.query("callback")));
        // a push with expire 0 is never stored: nothing in it waits, unless another member owns the key
        // and an idempotency key is looked up in the grid
        Predicate<RouteRequest> notStoredHere = r -> "0".equals(r.query("expire"))
                && endpoints.pushedHere(r.query("key")) && r.header(IDEMPOTENCY_KEY) == null;
        Predicate<RouteRequest> notStoredAlone = r -> "0".equals(r.query("expire")) && endpoints.alone()
                && r.header(IDEMPOTENCY_KEY) == null;
        Function<RouteRequest, Answer> push = r -> endpoints.pushPrivate(r.query("key"), r.query("expire"),
                r.header(IDEMPOTENCY_KEY), r.body());
        admin(table, "/1/admin/push/private", notStoredHere, push);
        admin(table, "/admin/push", notStoredHere, push);
        admin(table, "/1/admin/push/mprivate", notStoredAlone, r -> endpoints.pushMany(r.query("expire"),
                r.header(IDEMPOTENCY_KEY), r.body()));
        admin(table, "/1/admin/push/public", notStoredAlone, r -> endpoints.pushPublic(r.query("expire"),
                r.header(IDEMPOTENCY_KEY), r.body()));
        adminGet(table, "/1/admin/presence", NEVER, r -> endpoints.presence(r.queryValues("k")));
        admin(table, "/1/admin/group/add", NEVER, r -> groups.add(r.query(), r.header(CONTENT_TYPE), r.body()));
        admin(table, "/1/admin/group/del", NEVER, r -> groups.remove(r.query(), r.header(CONTENT_TYPE), r.body()));
        adminGet(table, "/1/admin/group/keys", NEVER, r -> groups.keys(r.query("g"), r.query("after"),
                r.query("limit")));
        adminGet(table, "/1/admin/group/of", NEVER, r -> groups.of(r.query("k")));
        adminGet(table, "/1/admin/group/online", NEVER, r -> groups.online(r.query("g")));
        admin(table, "/1/admin/push/group", NEVER, r -> groups.push(r.query("g"), r.query("expire"),
                r.header(IDEMPOTENCY_KEY), r.body()));
        Function<RouteRequest, Answer> delete = r -> endpoints.deleteMessages(r.query("key"),
                r.header(CONTENT_TYPE), r.body());
        admin(table, "/1/admin/msg/del", NEVER, delete);
        admin(table, "/admin/msg/clean", NEVER, delete);
        admin(table, "/1/admin/token/add", NEVER, r -> endpoints.addToken(r.query(), r.header(CONTENT_TYPE),
                r.body()));
        admin(table, "/1/admin/token/del", NEVER, r -> endpoints.removeToken(r.query(), r.header(CONTENT_TYPE),
                r.body()));
        admin(table, "/1/admin/kick", NEVER, r -> access.kick(r.query(), r.header(CONTENT_TYPE), r.body()));
        admin(table, "/1/admin/ban", NEVER, r -> access.ban(r.query(), r.header(CONTENT_TYPE), r.body()));
        admin(table, "/1/admin/unban", NEVER, r -> access.unban(r.query(), r.header(CONTENT_TYPE), r.body()));
        admin(table, "/1/admin/ip/deny", NEVER, r -> access.deny(r.query(), r.header(CONTENT_TYPE), r.body()));
        admin(table, "/1/admin/ip/allow", NEVER, r -> access.allow(r.query(), r.header(CONTENT_TYPE), r.body()));
        adminGet(table, "/1/admin/ip/denied", ALWAYS, r -> access.denied());
        routes = Collections.unmodifiableMap(table);
    }

    /** The route of a path, or null. */
    public Route find(String path) {
        return routes.get(path);
    }


    /**
     * What both fronts refuse before a route's work, in one order: an unknown path (404), then the admin
     * guard, so that a caller who may not use an admin path learns nothing of it, not even its method
     * (401 or 403), then another method than the route's (405). Empty when the work is to run.
     *
     * @param route         the path's route, null when the table has none
     * @param authorization the request's Authorization header, or null
     * @param loopback      whether the caller is on a loopback address
     */
    public static Optional<Refusal> refusal(Route route, String method, Optional<String> credential,
            String authorization, boolean loopback) {
        if (route == null) {
            return Optional.of(new Refusal(404, "Not Found", "Not Found\n", Map.of()));
        }
        if (route.admin()) {
            Optional<AdminAccess.Refusal> refused = AdminAccess.check(credential, authorization, loopback);
            if (refused.isPresent()) {
                AdminAccess.Refusal admin = refused.get();
                return Optional.of(new Refusal(admin.status(), admin.status() == 401 ? "Unauthorized" : "Forbidden",
                        admin.text(), admin.challenge() ? Map.of("WWW-Authenticate", "Bearer") : Map.of()));
            }
        }
        if (!route.method().equals(method)) {
            return Optional.of(new Refusal(405, "Method Not Allowed", "Method Not Allowed\n",
                    Map.of("Allow", route.method())));
        }
        return Optional.empty();
    }

    /** Every path of the table (the OpenAPI document is checked against them). */
    public Set<String> paths() {
        return routes.keySet();
    }

    private static void get(Map<String, Route> table, String path, Predicate<RouteRequest> inline,
            Function<RouteRequest, Answer> work) {
        table.put(path, new Route("GET", false, inline, work));
    }

    private static void adminGet(Map<String, Route> table, String path, Predicate<RouteRequest> inline,
            Function<RouteRequest, Answer> work) {
        table.put(path, new Route("GET", true, inline, work));
    }

    private static void admin(Map<String, Route> table, String path, Predicate<RouteRequest> inline,
            Function<RouteRequest, Answer> work) {
        table.put(path, new Route("POST", true, inline, work));
    }
}
