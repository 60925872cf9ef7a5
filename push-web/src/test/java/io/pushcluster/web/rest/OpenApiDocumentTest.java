package io.pushcluster.web.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document ({@code META-INF/openapi.json}, which Payara serves at {@code /openapi})
 * against the table of routes both HTTP fronts serve: every route documented with its method and the
 * admin rule, nothing documented that no front serves.
 */
class OpenApiDocumentTest {

    private static final Set<Class<?>> RESOURCES = Set.of(AdminStatsResource.class, AdminClusterResource.class);

    private final Routes routes = new Routes(null, null, null);
    private final JsonObject document = read();

    private static JsonObject read() {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/openapi.json")) {
            assertNotNull(in, "META-INF/openapi.json");
            return Json.createReader(in).readObject();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void namesTheProductAndItsVersion() throws IOException {
        JsonObject info = document.getJsonObject("info");
        String readme = Files.readString(java.nio.file.Path.of("..", "README.md"));
        assertEquals(readme.lines().findFirst().orElseThrow().substring(2), info.getString("title"));
        Matcher version = Pattern.compile("<artifactId>push-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(java.nio.file.Path.of("..", "pom.xml")));
        assertTrue(version.find(), "the parent POM's version");
        assertEquals(version.group(1), info.getString("version"));
        assertTrue(document.getString("openapi").startsWith("3."));
    }

    @Test
    void everyRouteIsDocumentedWithItsMethodAndTheAdminRule() {
        JsonObject paths = document.getJsonObject("paths");
        for (String path : routes.paths()) {
            Routes.Route route = routes.find(path);
            JsonObject item = paths.getJsonObject(path);
            assertNotNull(item, path + " is not documented");
            String method = route.method().toLowerCase(Locale.ROOT);
            JsonObject operation = item.getJsonObject(method);
            assertNotNull(operation, path + " is documented without its method " + route.method());
            assertEquals(1, item.keySet().stream().filter(k -> !k.equals("parameters")).count(),
                    path + " documents another method than " + route.method());
            assertEquals(route.admin(), !operation.getJsonArray("security").isEmpty(),
                    path + ": the admin rule " + (route.admin() ? "applies" : "does not apply"));
            describedFully(path, operation);
        }
    }

    @Test
    void documentsNothingThatNoFrontServes() {
        Set<String> served = new HashSet<>(routes.paths());
        for (Class<?> resource : RESOURCES) {
            served.add("/" + resource.getAnnotation(Path.class).value());
        }
        for (String path : document.getJsonObject("paths").keySet()) {
            assertTrue(served.contains(path), path + " is documented but served by no route or resource");
        }
        for (Class<?> resource : RESOURCES) {
            JsonObject item = document.getJsonObject("paths").getJsonObject("/" + resource.getAnnotation(Path.class).value());
            assertNotNull(item, resource.getSimpleName());
            item.forEach((method, operation) -> describedFully(method, operation.asJsonObject()));
        }
    }

    /** A summary, the ret codes it answers with, and a 200 reply with an example. */
    private static void describedFully(String where, JsonObject operation) {
        assertFalse(operation.getString("summary", "").isBlank(), where + " has no summary");
        assertFalse(operation.getJsonArray("x-ret-codes").isEmpty(), where + " lists no ret codes");
        JsonObject ok = operation.getJsonObject("responses").getJsonObject("200");
        assertNotNull(ok, where + " has no 200 reply");
        boolean example = ok.getJsonObject("content").values().stream().map(JsonValue::asJsonObject)
                .anyMatch(media -> media.containsKey("example") || media.containsKey("examples"));
        assertTrue(example, where + " has no example reply");
    }
}
