package io.pushcluster.web.rest;

import io.pushcluster.api.PushService;
import io.pushcluster.engine.config.PushSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.Map;

/**
 * The session controls: kick, ban and unban a key, on whichever member holds its connections.
 * Parameters come in the query or a form body. Admin access is checked by the caller, as for
 * {@link Endpoints}.
 */
@ApplicationScoped
public class AccessEndpoints {

    @Inject
    PushService push;

    @Inject
    PushSettings settings;

    /** Closes the key's connections everywhere, each told it was kicked; data {@code {"closed":N}}. */
    public Answer kick(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = Endpoints.fields(query, contentType, body, settings);
            return closed(push.kick(Params.required(fields.get("key"), "key")));
        });
    }

    /** Bans the key for {@code seconds} and closes its connections everywhere; data {@code {"closed":N}}. */
    public Answer ban(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = Endpoints.fields(query, contentType, body, settings);
            String key = Params.required(fields.get("key"), "key");
            long seconds = Params.unsigned(fields.get("seconds"), "seconds");
            return closed(push.ban(key, seconds));
        });
    }

    public Answer unban(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = Endpoints.fields(query, contentType, body, settings);
            push.unban(Params.required(fields.get("key"), "key"));
            return null;
        });
    }

    private static String closed(int connections) {
        return "{\"closed\":" + connections + "}";
    }
}
