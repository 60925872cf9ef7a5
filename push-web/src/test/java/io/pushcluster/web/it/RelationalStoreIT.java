package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
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

    /** How many stored messages of the key the database itself holds. */
    protected abstract int rowsInDatabase(String key) throws SQLException;

    protected static int countRows(Connection connection, String key) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM PUSH_MESSAGE WHERE MSG_KEY = ?")) {
            count.setString(1, key);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
