package io.pushcluster.web.rest;

import io.pushcluster.api.PushService;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.engine.cluster.AccessControls;
import io.pushcluster.engine.message.JsonText;
import io.pushcluster.web.config.Cidr;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The session controls: kick, ban and unban a key, on whichever member holds its connections; and the
 * blocks of client addresses denied at run time, on every member.
 * Parameters come in the query or a form body. Admin access is checked by the caller, as for
 * {@link Endpoints}.
 */
@ApplicationScoped
public class AccessEndpoints {

    @Inject
    PushService push;

    @Inject
    PushSettings settings;

    @Inject
    AccessControls access;

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

    /**
     * Denies a block of client addresses on every member, for {@code seconds} or, without it, until
     * allowed again: new connections and requests from it are refused.
     */
    public Answer deny(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = Endpoints.fields(query, contentType, body, settings);
            Cidr block = block(fields.get("cidr"));
            String seconds = fields.get("seconds");
            long time = seconds == null || seconds.isEmpty() ? Long.MAX_VALUE : Params.unsigned(seconds, "seconds");
            if (time == 0) {
                throw new InvalidParameterException("a denial lasts at least a second");
            }
            access.deny(block.toString(), time);
            return null;
        });
    }

    /** Removes a block denied at run time, on every member (the {@code push.ip.deny} setting stays). */
    public Answer allow(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = Endpoints.fields(query, contentType, body, settings);
            access.allow(block(fields.get("cidr")).toString());
            return null;
        });
    }

    /** {@code {"denied":[{"cidr":"...","until":MILLIS}]}}: the blocks denied at run time. */
    public Answer denied() {
        return Reply.v1().text(() -> access.denied().entries().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> "{\"cidr\":" + JsonText.quote(entry.getKey()) + ",\"until\":" + entry.getValue() + "}")
                .collect(Collectors.joining(",", "{\"denied\":[", "]}")));
    }

    private static Cidr block(String text) {
        String cidr = Params.required(text, "cidr");
        try {
            return Cidr.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(e.getMessage());
        }
    }

    private static String closed(int connections) {
        return "{\"closed\":" + connections + "}";
    }
}
