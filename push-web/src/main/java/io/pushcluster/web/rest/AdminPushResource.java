package io.pushcluster.web.rest;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.api.PushService;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.message.JsonText;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Pushing and deleting stored messages (PROTOCOL.md A.3). */
@Path("")
@AdminOnly
@Consumes(MediaType.WILDCARD)
public class AdminPushResource {

    /** Room in a multi push body for its JSON around the message and the keys. */
    private static final int MULTI_OVERHEAD = 1024;

    @EJB
    PushService push;

    @Inject
    PushSettings settings;

    @POST
    @Path("1/admin/push/private")
    public Response pushPrivate(@QueryParam("key") String key, @QueryParam("expire") String expire, InputStream body) {
        return Reply.v1().answer(() -> {
            Params.required(key, "key");
            long seconds = Params.unsigned(expire, "expire");
            push.push(key, Params.body(body, settings.messageMaxBytes()), seconds);
            return null;
        });
    }

    @POST
    @Path("admin/push")
    public Response pushLegacy(@QueryParam("key") String key, @QueryParam("expire") String expire, InputStream body) {
        return pushPrivate(key, expire, body);
    }

    @POST
    @Path("1/admin/push/mprivate")
    public Response pushMany(@QueryParam("expire") String expire, InputStream body) {
        return Reply.v1().answer(() -> {
            long seconds = Params.unsigned(expire, "expire");
            int limit = 2 * settings.messageMaxBytes()
                    + settings.multiMaxKeys() * (settings.keyMaxLength() + 1) + MULTI_OVERHEAD;
            JsonObject request = parseObject(Params.body(body, limit));
            String message = string(request, "m");
            String keyList = string(request, "k");
            List<String> keys = Arrays.asList(keyList.split(",", -1));
            List<String> failed = push.pushToMany(keys, message, seconds);
            if (failed.isEmpty()) {
                return null;
            }
            return failed.stream().map(JsonText::quote).collect(Collectors.joining(",", "{\"fk\":[", "]}"));
        });
    }

    @POST
    @Path("1/admin/msg/del")
    public Response delete(@QueryParam("key") String queryKey, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            InputStream body) {
        return Reply.v1().answer(() -> {
            String key = FormFields.of(type, body).getOrDefault("key", queryKey);
            push.deleteMessages(Params.required(key, "key"));
            return null;
        });
    }

    @POST
    @Path("admin/msg/clean")
    public Response deleteLegacy(@QueryParam("key") String queryKey, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            InputStream body) {
        return delete(queryKey, type, body);
    }

    private static JsonObject parseObject(String text) {
        try (JsonReader reader = JsonText.reader(text)) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new PushFailedException("the body is not a JSON object");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw new PushFailedException("the body is not valid JSON", e);
        }
    }

    private static String string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (!(value instanceof JsonString text) || text.getString().isEmpty()) {
            throw new InvalidParameterException("missing " + name);
        }
        return text.getString();
    }
}
