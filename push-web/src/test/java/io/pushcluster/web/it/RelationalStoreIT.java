package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offline messages end to end on a production database that the subclass starts and configures
 * through the operator's post-boot commands in server-config/jdbc/.
 */
abstract class RelationalStoreIT {

    /** The per-key cap the subclasses deploy with. */
    protected static final int CAP = 3;

    /** The purge interval the subclasses deploy with, in seconds. */
    protected static final int PURGE_SECONDS = 2;

    /** The settings the subclasses deploy with. */
    protected static final Map<String, String> SETTINGS = Map.of("push.store.cap", Integer.toString(CAP),
            "push.store.purge-interval", Integer.toString(PURGE_SECONDS));

    @ArquillianResource
    URL base;

    protected Http http;

    @BeforeEach
    void client() {
        http = new Http(base);
    }

    @Test
    void offlineMessagesLiveInTheDatabase() throws SQLException {
        String key = "pg-" + System.nanoTime();
        for (int i = 1; i <= CAP + 2; i++) {
            http.push(key, "{\"i\":" + i + ",\"text\":\"日本語\"}", 600);
        }
        JsonArray kept = messages(key);
        assertEquals(CAP, kept.size());
        assertEquals(3, kept.getJsonObject(0).getJsonObject("msg").getInt("i"));
        assertEquals("日本語", kept.getJsonObject(CAP - 1).getJsonObject("msg").getString("text"));
        // rows beyond the cap stay until the key's next trim (every few saves of it), unseen by readers
        int rows = rowsInDatabase(key);
        assertTrue(rows >= CAP && rows <= CAP + 2, rows + " rows: they must be in the configured database, not in Payara's H2");

        String other = key + "-b";
        String body = Json.createObjectBuilder().add("m", "{\"both\":true}").add("k", key + "," + other).build()
                .toString();
        assertEquals("{\"ret\":0}", http.post("/1/admin/push/mprivate?expire=600", body).body());
        assertEquals(1, messages(other).size());
        assertEquals(CAP, messages(key).size());

        assertEquals(0, http.postForm("/1/admin/msg/del", Map.of("key", key)).ret());
        assertEquals(0, rowsInDatabase(key));
        assertEquals(1, rowsInDatabase(other));
        assertEquals("UP", http.get("/health/ready").json().getString("status"));
    }

    protected JsonArray messages(String key) {
        JsonObject reply = http.get("/1/msg/get?k=" + key + "&m=0").json();
        assertEquals(0, reply.getInt("ret"), reply.toString());
        return reply.containsKey("data") ? reply.getJsonObject("data").getJsonArray("msgs")
                : Json.createArrayBuilder().build();
    }

    @Test
    void expiredMessagesLeaveTheDatabaseThroughTheExpiryIndexTheServerCreates() throws Exception {
        String key = "purged-" + System.nanoTime();
        http.push(key, "{\"short\":true}", 1);
        http.push(key, "{\"long\":true}", 600);
        assertEquals(2, rowsInDatabase(key));
        // the deployment purges every PURGE_SECONDS; the first purge on a database server creates the index
        long deadline = System.currentTimeMillis() + 20_000;
        while (rowsInDatabase(key) > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(1, rowsInDatabase(key), "the expired row was purged, the other kept");
        assertEquals(1, messages(key).size());
        try (Connection connection = connect()) {
            DatabaseMetaData schema = connection.getMetaData();
            String table = schema.storesLowerCaseIdentifiers() ? "push_message" : "PUSH_MESSAGE";
            boolean indexed = false;
            try (ResultSet columns = schema.getIndexInfo(null, null, table, false, true)) {
                while (columns.next()) {
                    indexed |= columns.getShort("ORDINAL_POSITION") == 1
                            && "EXPIRES_AT".equalsIgnoreCase(columns.getString("COLUMN_NAME"));
                }
            }
            assertTrue(indexed, "the server created an index on EXPIRES_AT");
        }
    }

    /** A connection to the database the server stores in. */
    protected abstract Connection connect() throws SQLException;

    /** How many stored messages of the key the database itself holds. */
    protected int rowsInDatabase(String key) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM PUSH_MESSAGE WHERE MSG_KEY = ?")) {
            count.setString(1, key);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
