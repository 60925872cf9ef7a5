package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.web.it.injector.InjectingApplication;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Steps of the push flow over real WebSocket and HTTP, for tests that repeat it on several servers. */
public final class PushFlow {

    private static final long WAIT_MILLIS = 10_000;

    private PushFlow() {
    }

    /**
     * Subscribes the key at the node (versioned message form), runs the push once the subscription is
     * confirmed, and returns the message the subscriber then receives.
     */
    public static JsonObject received(Http node, String key, Runnable push) {
        try (WsClient subscriber = WsClient.connect(node, "key=" + Http.encode(key) + "&heartbeat=30&ver=1")) {
            assertEquals("+h\r\n", subscriber.next(WAIT_MILLIS), "subscribed at " + node.hostPort());
            push.run();
            String frame = subscriber.next(WAIT_MILLIS);
            assertNotNull(frame, "no message reached the subscriber at " + node.hostPort());
            return parse(frame);
        }
    }

    /**
     * Pushes through the injecting application deployed on {@code entry} (expire 60) while a subscriber
     * of the key waits on {@code owner}; checks that the subscriber got that push with the mid the
     * application was given, and returns that mid.
     */
    public static long receivedFromInjectingApplication(Http entry, Http owner, String key) {
        long[] mid = new long[1];
        JsonObject message = received(owner, key, () -> {
            Http.Reply reply = entry.post(InjectingApplication.CONTEXT_ROOT + "/push?key=" + Http.encode(key) + "&expire=60",
                    "{\"from\":\"another application\"}");
            assertEquals(200, reply.status(), reply.body());
            mid[0] = Long.parseLong(reply.body());
        });
        assertEquals(mid[0], message.getJsonNumber("mid").longValueExact());
        assertEquals(Json.createObjectBuilder().add("from", "another application").build(), message.get("msg"));
        return mid[0];
    }

    /**
     * Pushes a public message through the injecting application deployed on {@code entry} (expire 60)
     * while a subscriber of the key waits on {@code owner}; checks that the subscriber got it with gid 1
     * and the pmid the application was given, and that {@code /1/msg/get} returns it after the pmid
     * before; returns that pmid.
     */
    public static long publicReceivedFromInjectingApplication(Http entry, Http owner, String key) {
        long[] pmid = new long[1];
        JsonObject message = received(owner, key, () -> {
            Http.Reply online = entry.get(InjectingApplication.CONTEXT_ROOT + "/push?k=" + Http.encode(key));
            assertEquals("{" + key + "=1}", online.body(), "presence through the injected bean");
            Http.Reply reply = entry.post(InjectingApplication.CONTEXT_ROOT + "/push?expire=60", "{\"to\":\"everyone\"}");
            assertEquals(200, reply.status(), reply.body());
            pmid[0] = Long.parseLong(reply.body());
        });
        assertEquals(pmid[0], message.getJsonNumber("mid").longValueExact());
        assertEquals(1, message.getInt("gid"));
        JsonObject data = owner.get("/1/msg/get?k=" + Http.encode(key) + "&m=0&pm=" + (pmid[0] - 1)).json()
                .getJsonObject("data");
        assertEquals(pmid[0], data.getJsonArray("pmsgs").getJsonObject(0).getJsonNumber("mid").longValueExact());
        return pmid[0];
    }

    /**
     * Through the injecting application on {@code entry}: adds the key to a group and pushes to the
     * group while a subscriber of the key waits on {@code owner}; checks that it arrives like a
     * private message (gid 0).
     */
    public static void groupReceivedFromInjectingApplication(Http entry, Http owner, String key) {
        JsonObject message = received(owner, key, () -> {
            Http.Reply reply = entry.post(InjectingApplication.CONTEXT_ROOT + "/push?group=" + Http.encode("g-" + key)
                    + "&k=" + Http.encode(key) + "&expire=60", "{\"to\":\"the group\"}");
            assertEquals(200, reply.status(), reply.body());
            assertEquals("[]", reply.body(), "no key failed");
        });
        assertEquals("the group", message.getJsonObject("msg").getString("to"));
        assertEquals(0, message.getInt("gid"));
    }

    /**
     * Pushes {@code count} times on one keep-alive connection to the port and checks that every push is
     * answered with ret 0 and none of the answers ends the connection.
     */
    public static void answersPushesOnOneConnection(int port, int count) {
        byte[] push = ("POST /1/admin/push/private?key=keep-alive&expire=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT_MILLIS);
            InputStream in = socket.getInputStream();
            for (int i = 0; i < count; i++) {
                socket.getOutputStream().write(push);
                String reply = oneResponse(in);
                assertTrue(reply.startsWith("HTTP/1.1 200") && reply.contains("\"ret\":0"), "push " + i + ": " + reply);
                assertFalse(reply.toLowerCase(Locale.ROOT).contains("connection: close"),
                        "the server ends the connection at push " + i + ": " + reply);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One whole response, by its Content-Length or to its last chunk; the stream is left at the next. */
    private static String oneResponse(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return text.toString();
            }
            text.append((char) b);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                continue;
            }
            String head = text.substring(0, end).toLowerCase(Locale.ROOT);
            if (head.contains("transfer-encoding: chunked")) {
                if (text.length() > end + 4 && text.toString().endsWith("\r\n0\r\n\r\n")) {
                    return text.toString();
                }
            } else {
                int length = head.indexOf("content-length: ");
                int size = length < 0 ? 0 : Integer.parseInt(head.substring(length + 16, head.indexOf("\r\n", length) < 0
                        ? head.length() : head.indexOf("\r\n", length)).strip());
                if (text.length() >= end + 4 + size) {
                    return text.toString();
                }
            }
        }
    }

        /** What {@code /1/msg/get} returns for the key at the node: its stored messages, oldest first. */
    public static JsonArray stored(Http node, String key) {
        JsonObject reply = node.get("/1/msg/get?k=" + Http.encode(key) + "&m=0").json();
        assertEquals(0, reply.getInt("ret"), reply.toString());
        return reply.containsKey("data") ? reply.getJsonObject("data").getJsonArray("msgs") : JsonArray.EMPTY_JSON_ARRAY;
    }

    public static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
