package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server on a real PostgreSQL, configured exactly as server-config/jdbc/postgresql.asadmin says:
 * offline messages end to end, and what happens while the database is down.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PostgresStoreIT extends RelationalStoreIT {

        private static final long WAIT = 10_000;
    private static Path dataDirectory;
    private static int port;
    private static EmbeddedPostgres postgres;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException, SQLException {
        dataDirectory = Files.createTempDirectory("push-postgres");
        startPostgres();
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE USER push PASSWORD 'push'");
            statement.execute("CREATE DATABASE push OWNER push");
        }
        String commands = Files.readString(Path.of(System.getProperty("push.serverConfig"), "jdbc",
                "postgresql.asadmin")).replace("portNumber=5432", "portNumber=" + port);
        return Deployments.pushWar(SETTINGS, commands);
    }

    private static void startPostgres() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false);
        if (port != 0) {
            builder.setPort(port);
        }
        postgres = builder.start();
        port = postgres.getPort();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl("push", "push"), "push", "push");
    }

    @Test
    void whileThePostgresIsDownStoredPushesFailAndLiveOnesStillArrive() throws Exception {
        String key = "pg-down-" + System.nanoTime();
        http.push(key, "{\"before\":true}", 600);
        try (WsClient ws = WsClient.connect(http, "key=" + key + "&heartbeat=60&ver=1")) {
            assertEquals("+h\r\n", ws.next(WAIT));
            postgres.close();

            long start = System.currentTimeMillis();
            assertEquals(65535, http.post("/1/admin/push/private?key=" + key + "&expire=600", "{\"lost\":1}").ret());
            assertTrue(System.currentTimeMillis() - start < 15_000, "a push must fail within the pool's bounds");
            assertNull(ws.next(1_000), "a push that was not stored is not delivered");
            http.push(key, "{\"live\":true}", 0);
            assertTrue(ws.next(WAIT).contains("live"), "expire=0 pushes do not need the store");
            assertEquals(65535, http.get("/1/msg/get?k=" + key + "&m=0").ret());
            Http.Reply ready = http.get("/health/ready");
            assertEquals(503, ready.status(), ready.body());

            startPostgres();
            JsonObject recovered = null;
            for (int attempt = 0; attempt < 30 && recovered == null; attempt++) {
                Http.Reply reply = http.post("/1/admin/push/private?key=" + key + "&expire=600", "{\"after\":true}");
                if (reply.ret() == 0) {
                    recovered = reply.json();
                } else {
                    Thread.sleep(1_000);
                }
            }
            assertTrue(recovered != null, "pushes never recovered after PostgreSQL came back");
            assertTrue(ws.next(WAIT).contains("after"));
        }
        JsonArray stored = messages(key);
        assertEquals(2, stored.size(), stored.toString());
        assertTrue(stored.getJsonObject(0).getJsonObject("msg").getBoolean("before"));
        assertTrue(stored.getJsonObject(1).getJsonObject("msg").getBoolean("after"));
        assertEquals(200, http.get("/health/ready").status());
    }
}
