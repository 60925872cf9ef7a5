package io.pushcluster.web.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for the server under test, always on 127.0.0.1. */
public final class Http {

    /** A reply: status, content type, body and every header. */
    public record Reply(int status, String contentType, String body, HttpHeaders headers) {

        /** The first value of a header, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        public int ret() {
            return json().getInt("ret");
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private String authorization;

    public Http(URL deployment) {
        this(deployment.getPort());
    }

    /** A client of another port of the server under test, such as the HTTP listener of our own. */
    public Http(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://" + hostPort() + pathAndQuery);
    }

    /** Sends {@code Authorization: Bearer <credential>} with every later request; null stops it. */
    Http withCredential(String credential) {
        this.authorization = credential == null ? null : "Bearer " + credential;
        return this;
    }

    public Reply get(String pathAndQuery) {
        return send(builder(pathAndQuery).GET());
    }

    Reply get(String pathAndQuery, String header, String value) {
        return send(builder(pathAndQuery).header(header, value).GET());
    }

    public Reply post(String pathAndQuery, String body) {
        return send(builder(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply post(String pathAndQuery, String body, String header, String value) {
        return send(builder(pathAndQuery).header(header, value).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply postForm(String path, Map<String, String> fields) {
        StringBuilder form = new StringBuilder();
        fields.forEach((name, value) -> form.append(form.length() == 0 ? "" : "&")
                .append(encode(name)).append('=').append(encode(value)));
        return send(builder(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    Reply method(String method, String pathAndQuery) {
        return send(builder(pathAndQuery).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** Pushes a message with an expiry and expects ret 0. */
    public void push(String key, String message, long expire) {
        Reply reply = post("/1/admin/push/private?key=" + encode(key) + "&expire=" + expire, message);
        if (reply.status() != 200 || reply.ret() != 0) {
            throw new AssertionError("push failed: " + reply);
        }
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder builder(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
