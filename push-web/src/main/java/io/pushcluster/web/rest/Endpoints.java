package io.pushcluster.web.rest;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushService;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.config.Limits;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.message.JsonText;
import io.pushcluster.engine.message.PushedMessage;
import io.pushcluster.web.config.ListenerAddresses;
import io.pushcluster.web.config.Protocol;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The work of every endpoint of gopush-cluster's HTTP interface (PROTOCOL.md A.2, A.3, B.3 tokens),
 * apart from how requests arrive: the JAX-RS resources on Payara's HTTP port and the HTTP listener of
 * our own ({@code push.http.bind}) both answer through this, so they cannot drift apart. Parameters
 * are the raw, already URL-decoded values (null when absent); admin access is checked by the caller.
 */
@ApplicationScoped
public class Endpoints {

    /** The request header that carries a push's idempotency key. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Room in a multi push body for its JSON around the message and the keys. */
    private static final int MULTI_OVERHEAD = 1024;

    @Inject
    PushService push;

    @Inject
    PushSettings settings;

    @Inject
    Membership membership;

    @Inject
    ListenerAddresses addresses;

    private Limits limits;

    @PostConstruct
    void start() {
        limits = new Limits(settings);
    }

    // ---- public (GET) ----

    public Answer timeV1(String cb) {
        return Reply.v1(cb).text(this::timeId);
    }

    public Answer timeLegacy(String callback) {
        return Reply.legacy(callback).text(this::timeId);
    }

    /**
     * @param requestAddress host:port the client addressed this node on, for the WebSocket address when
     *                       subscribers use Payara's own {@code /sub}
     */
    public Answer serverOne(String key, String protocol, String cb, String requestAddress) {
        return Reply.v1(cb).text(() -> "{\"server\":" + JsonText.quote(addresses(key, protocol, requestAddress).get(0))
                + tls(protocol) + "}");
    }

    public Answer serverAll(String key, String protocol, String cb, String requestAddress) {
        return Reply.v1(cb).text(() -> "{\"server\":" + jsonArray(addresses(key, protocol, requestAddress))
                + tls(protocol) + "}");
    }

    /** {@code ,"tls":true} when the protocol's listener speaks TLS (connect with {@code wss:}); else nothing. */
    private String tls(String protocolNumber) {
        return Protocol.of(protocolNumber).filter(addresses::tls).isPresent() ? ",\"tls\":true" : "";
    }

    public Answer serverLegacy(String key, String protocol, String callback, String requestAddress) {
        return Reply.legacy(callback)
                .text(() -> "{\"server\":" + JsonText.quote(addresses(key, protocol, requestAddress).get(0)) + "}");
    }

    /** @param pm the last public message id seen; null for no {@code pmsgs} */
    public Answer messagesV1(String key, String mid, String pm, String cb) {
        return Reply.v1(cb).text(() -> messages(key, mid, pm, "pm", false,
                (data, message) -> data.append(message.versionedForm())));
    }

    public Answer messagesLegacy(String key, String mid, String pmid, String callback) {
        return Reply.legacy(callback).text(() -> messages(key, mid, pmid, "pmid", true,
                (data, message) -> JsonText.appendQuotedHtmlSafe(data, message.legacyForm())));
    }

    // ---- admin ----

    /** Connections per key now, cluster-wide: {@code {"K1":2,"K2":0}}. */
    public Answer presence(List<String> keys) {
        return Reply.v1().text(() -> {
            StringBuilder data = new StringBuilder(16 + keys.size() * 24).append('{');
            push.presence(keys).forEach((key, count) -> data.append(data.length() > 1 ? "," : "")
                    .append(JsonText.quote(key)).append(':').append(count));
            return data.append('}').toString();
        });
    }

    /** @param idempotencyKey the {@value #IDEMPOTENCY_KEY} header, or null */
    public Answer pushPrivate(String key, String expire, String idempotencyKey, InputStream body) {
        return Reply.v1().text(() -> {
            Params.required(key, "key");
            long seconds = Params.unsigned(expire, "expire");
            push.push(key, Params.body(body, settings.messageMaxBytes()), seconds, idempotencyKey);
            return null;
        });
    }

    /** A public message (gid 1), to every subscriber. @param idempotencyKey the {@value #IDEMPOTENCY_KEY} header, or null */
    public Answer pushPublic(String expire, String idempotencyKey, InputStream body) {
        return Reply.v1().text(() -> {
            long seconds = Params.unsigned(expire, "expire");
            push.pushPublic(Params.body(body, settings.messageMaxBytes()), seconds, idempotencyKey);
            return null;
        });
    }

    /** @param idempotencyKey the {@value #IDEMPOTENCY_KEY} header, or null */
    public Answer pushMany(String expire, String idempotencyKey, InputStream body) {
        return Reply.v1().text(() -> {
            long seconds = Params.unsigned(expire, "expire");
            JsonObject request = parseObject(Params.body(body, multiPushMaxBytes()));
            String message = string(request, "m");
            List<String> keys = Params.commaList(string(request, "k"), "k");
            List<String> failed = push.pushToMany(keys, message, seconds, idempotencyKey);
            if (failed.isEmpty()) {
                return null;
            }
            return jsonList("fk", failed);
        });
    }

    /** Whether a push to the key is done by this member, without waiting for another; false for no key. */
    public boolean pushedHere(String key) {
        return key != null && !key.isEmpty() && membership.ownsLocally(key);
    }

    /** Whether this member is the whole cluster, so that every push is done here. */
    public boolean alone() {
        return membership.view().alone();
    }

    /** The largest request body either HTTP front reads: a multi push's, or a form of the most keys. */
    public int requestMaxBytes() {
        return Math.max(multiPushMaxBytes(), FormFields.maxBytes(settings));
    }

    /** The largest body a multi push may have: two messages' worth (it is quoted) plus every key. */
    public int multiPushMaxBytes() {
        return 2 * settings.messageMaxBytes() + settings.multiMaxKeys() * (settings.keyMaxLength() + 1) + MULTI_OVERHEAD;
    }

    public Answer deleteMessages(String queryKey, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            String key = FormFields.of(contentType, body, settings).getOrDefault("key", queryKey);
            push.deleteMessages(Params.required(key, "key"));
            return null;
        });
    }

    /**
     * @param query the request's query parameters; fields of a form body take precedence
     */
    public Answer addToken(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = fields(query, contentType, body, settings);
            String expire = fields.get("expire");
            long seconds = expire == null || expire.isEmpty() ? 0 : Params.unsigned(expire, "expire");
            push.addToken(Params.required(fields.get("key"), "key"), Params.required(fields.get("token"), "token"),
                    seconds);
            return null;
        });
    }

    public Answer removeToken(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = fields(query, contentType, body, settings);
            push.removeToken(Params.required(fields.get("key"), "key"), Params.required(fields.get("token"), "token"));
            return null;
        });
    }

    /** The answer for a failure outside any endpoint's work: ret 65535, nothing else said. */
    public static Answer internalError() {
        return Reply.v1().errorText(Ret.INTERNAL);
    }


    private String timeId() {
        return "{\"timeid\":" + push.currentTimeId() + "}";
    }

    private List<String> addresses(String key, String protocolNumber, String requestAddress) {
        limits.key(key);
        Protocol protocol = Protocol.of(protocolNumber)
                .orElseThrow(() -> new InvalidParameterException("protocol must be 1 or 2"));
        List<String> found = addresses.forKey(key, protocol, requestAddress);
        if (found.isEmpty()) {
            throw new NoNodeException("no " + protocol + " address for key " + key);
        }
        return found;
    }

    /**
     * The key's messages after the mid and, when a last public id is given (or always, empty, on the
     * legacy path), the public messages after it, each in the given form, as {@code data}; null when
     * there are none.
     */
    private String messages(String key, String mid, String pmid, String pmidName, boolean legacy,
            BiConsumer<StringBuilder, PushedMessage> form) {
        Params.required(key, "key");
        long afterMid = Params.unsigned(mid, "mid");
        boolean withPublic = pmid != null && !pmid.isEmpty();
        long afterPmid = withPublic ? Params.unsigned(pmid, pmidName) : 0;
        List<StoredMessage> messages = push.messagesAfter(key, afterMid);
        List<StoredMessage> publics = withPublic ? push.publicMessagesAfter(afterPmid) : List.of();
        if (messages.isEmpty() && publics.isEmpty()) {
            return null;
        }
        StringBuilder data = new StringBuilder(64 + (messages.size() + publics.size()) * 96).append("{\"msgs\":[");
        append(data, messages, form);
        if (withPublic || legacy) {
            append(data.append("],\"pmsgs\":["), publics, form);
        }
        return data.append("]}").toString();
    }

    private static void append(StringBuilder data, List<StoredMessage> messages,
            BiConsumer<StringBuilder, PushedMessage> form) {
        for (int i = 0; i < messages.size(); i++) {
            StoredMessage message = messages.get(i);
            form.accept(data.append(i == 0 ? "" : ","), new PushedMessage(message.mid(), message.gid(), message.message()));
        }
    }

    /** {@code {"name":["v1",...]}}: a data object of one list of strings. */
    static String jsonList(String name, List<String> values) {
        return "{\"" + name + "\":" + jsonArray(values) + "}";
    }

    private static String jsonArray(List<String> values) {
        return values.stream().map(JsonText::quote).collect(Collectors.joining(",", "[", "]"));
    }

    static Map<String, String> fields(Map<String, String> query, String contentType, InputStream body,
            PushSettings settings) {
        Map<String, String> fields = new HashMap<>(query);
        fields.putAll(FormFields.of(contentType, body, settings));
        return fields;
    }

    private static JsonObject parseObject(String text) {
        try (JsonReader reader = JsonText.reader(text)) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new InvalidParameterException("the body is not a JSON object");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw new InvalidParameterException("the body is not valid JSON");
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
