package io.pushcluster.web.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pushcluster.engine.config.PushSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Who may use the admin endpoints (PROTOCOL.md B.3, README "Admin security"). */
class AdminAccessFilterTest {

    private static final String CREDENTIAL = "s3cret-Admin";

    /** A request context that only answers headers and records what the filter aborted with. */
    private static final class Context {
        final Map<String, String> headers = new HashMap<>();
        String path = "1/admin/stats";
        Response aborted;
        int aborts;

        final ContainerRequestContext proxy = (ContainerRequestContext) Proxy.newProxyInstance(
                ContainerRequestContext.class.getClassLoader(), new Class<?>[] {ContainerRequestContext.class},
                (self, method, args) -> switch (method.getName()) {
                    case "getHeaderString" -> headers.entrySet().stream()
                            .filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                    case "getUriInfo" -> Proxy.newProxyInstance(UriInfo.class.getClassLoader(),
                            new Class<?>[] {UriInfo.class}, (info, call, none) -> {
                                if (call.getName().equals("getPath")) {
                                    return path;
                                }
                                throw new UnsupportedOperationException(call.getName());
                            });
                    case "abortWith" -> {
                        aborted = (Response) args[0];
                        aborts++;
                        yield null;
                    }
                    case "toString" -> "fake ContainerRequestContext";
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static HttpServletRequest from(String remoteAddr) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> remoteAddr;
                    // not through ClientAddressFilter: the admin guard judges the peer
                    case "getAttribute" -> null;
                    case "toString" -> "fake request from " + remoteAddr;
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static AdminAccessFilter filter(Optional<String> credential, String remoteAddr) {
        AdminAccessFilter filter = new AdminAccessFilter();
        filter.settings = new PushSettings(
                name -> PushSettings.ADMIN_CREDENTIAL.equals(name) ? credential : Optional.empty());
        filter.request = from(remoteAddr);
        return filter;
    }

    private static Context run(Optional<String> credential, String remoteAddr, String authorization) {
        return run(credential, remoteAddr, authorization, "1/admin/stats");
    }

    private static Context run(Optional<String> credential, String remoteAddr, String authorization, String path) {
        Context context = new Context();
        context.path = path;
        if (authorization != null) {
            context.headers.put(HttpHeaders.AUTHORIZATION, authorization);
        }
        filter(credential, remoteAddr).filter(context.proxy);
        return context;
    }

    private static void assertPasses(Context context) {
        assertNull(context.aborted, "the request should pass");
        assertEquals(0, context.aborts);
    }

    private static void assertUnauthorized(Context context) {
        assertNotNull(context.aborted, "the request should be refused");
        assertEquals(1, context.aborts);
        assertEquals(401, context.aborted.getStatus());
        assertEquals("Bearer", context.aborted.getHeaderString(HttpHeaders.WWW_AUTHENTICATE));
        assertEquals(MediaType.TEXT_PLAIN_TYPE, context.aborted.getMediaType());
    }

    // --- no credential configured: loopback only

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "127.5.5.5", "0:0:0:0:0:0:0:1", "127.255.255.254"})
    void withoutCredentialLoopbackCallersPass(String address) {
        assertPasses(run(Optional.empty(), address, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.10", "10.0.0.1", "2001:db8::1", "0.0.0.0", "::", ""})
    void withoutCredentialOtherCallersAreForbidden(String address) {
        Context context = run(Optional.empty(), address, null);
        assertNotNull(context.aborted, () -> address + " should be refused");
        assertEquals(1, context.aborts);
        assertEquals(403, context.aborted.getStatus());
        assertEquals(MediaType.TEXT_PLAIN_TYPE, context.aborted.getMediaType());
    }

    @Test
    void everyPathUnderTheAdminPrefixesIsGuardedAndNoOtherPath() {
        for (String path : List.of("1/admin/stats", "/1/admin/push/private", "admin/push", "admin/msg/clean",
                "1/admin/whatever-is-not-there")) {
            assertUnauthorized(run(Optional.of(CREDENTIAL), "192.0.2.10", null, path));
        }
        for (String path : List.of("1/time/get", "msg/get", "1/administer", "sub", "application.wadl")) {
            assertPasses(run(Optional.of(CREDENTIAL), "192.0.2.10", null, path));
        }
    }

    @Test
    void withoutCredentialAnUnknownAddressIsForbidden() {
        Context context = run(Optional.empty(), null, null);
        assertNotNull(context.aborted);
        assertEquals(403, context.aborted.getStatus());
    }

    @Test
    void withoutCredentialABearerHeaderDoesNotOpenTheDoor() {
        Context context = run(Optional.empty(), "192.0.2.10", "Bearer anything");
        assertNotNull(context.aborted);
        assertEquals(403, context.aborted.getStatus());
    }

    @Test
    void aBlankCredentialSettingMeansNone() {
        assertEquals(403, run(Optional.of("   "), "192.0.2.10", "Bearer    ").aborted.getStatus());
        assertPasses(run(Optional.of(""), "127.0.0.1", null));
    }

    // --- credential configured: bearer for everyone

    @Test
    void withCredentialAMissingHeaderIsUnauthorized() {
        assertUnauthorized(run(Optional.of(CREDENTIAL), "192.0.2.10", null));
    }

    @Test
    void withCredentialLoopbackMustAuthenticateToo() {
        assertUnauthorized(run(Optional.of(CREDENTIAL), "127.0.0.1", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bearer wrong",
        "Bearer ",
        "Bearer",
        "Basic x",
        "Basic " + CREDENTIAL,
        CREDENTIAL,
        "Bearer " + CREDENTIAL + "x",
        "Bearer " + "s3cret-admin",
        "Bearer s3cret",
        "",
    })
    void withCredentialAnythingButTheExactBearerIsUnauthorized(String authorization) {
        assertUnauthorized(run(Optional.of(CREDENTIAL), "127.0.0.1", authorization));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "192.0.2.10", "10.0.0.1"})
    void withCredentialTheCorrectBearerPassesFromAnyAddress(String address) {
        assertPasses(run(Optional.of(CREDENTIAL), address, "Bearer " + CREDENTIAL));
    }

    /** A browser's Basic authentication: any user name, the credential as the password. */
    @Test
    void withCredentialBasicAuthenticationWithTheCredentialAsPasswordPasses() {
        assertPasses(run(Optional.of(CREDENTIAL), "192.0.2.10", basic("operator:" + CREDENTIAL)));
        assertPasses(run(Optional.of(CREDENTIAL), "192.0.2.10", basic(":" + CREDENTIAL)));
        for (String pair : List.of("operator:wrong", CREDENTIAL, CREDENTIAL + ":x", "operator:" + CREDENTIAL + "x")) {
            assertUnauthorized(run(Optional.of(CREDENTIAL), "192.0.2.10", basic(pair)));
        }
        assertUnauthorized(run(Optional.of(CREDENTIAL), "192.0.2.10", "Basic !!not base64!!"));
    }

    /** The dashboard is guarded like the admin paths, and asks a browser for Basic credentials. */
    @Test
    void theDashboardIsGuardedAndChallengesBrowsersForBasicCredentials() {
        Context refused = run(Optional.of(CREDENTIAL), "127.0.0.1", null, "dashboard");
        assertEquals(401, refused.aborted.getStatus());
        assertEquals("Basic realm=\"push admin\"", refused.aborted.getHeaderString(HttpHeaders.WWW_AUTHENTICATE));
        assertEquals(403, run(Optional.empty(), "192.0.2.10", null, "/dashboard").aborted.getStatus());
        assertPasses(run(Optional.empty(), "127.0.0.1", null, "dashboard"));
        assertPasses(run(Optional.of(CREDENTIAL), "192.0.2.10", basic("x:" + CREDENTIAL), "dashboard"));
        assertPasses(run(Optional.of(CREDENTIAL), "192.0.2.10", null, "dashboards"));
        assertEquals(401, run(Optional.of(CREDENTIAL), "192.0.2.10", null, "dashboard/").aborted.getStatus(),
                "a trailing slash reaches the same page, so it is guarded too");
    }

    private static String basic(String pair) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theConfiguredCredentialIsStripped() {
        assertPasses(run(Optional.of("  " + CREDENTIAL + "\n"), "192.0.2.10", "Bearer " + CREDENTIAL));
    }
}
