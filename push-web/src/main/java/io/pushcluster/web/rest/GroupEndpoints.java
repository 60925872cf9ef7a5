package io.pushcluster.web.rest;

import io.pushcluster.api.PushService;
import io.pushcluster.engine.config.PushSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The group endpoints (multicast): membership, paging, a group push and who of a group is online.
 * Keys are given as {@code k=k1,k2,...}, in the query or a form body. Admin access is checked by the
 * caller, as for {@link Endpoints}.
 */
@ApplicationScoped
public class GroupEndpoints {

    /** Keys a page of {@code /1/admin/group/keys} holds unless {@code limit} says otherwise. */
    static final int DEFAULT_PAGE = 100;

    @Inject
    PushService push;

    @Inject
    PushSettings settings;

    public Answer add(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = Endpoints.fields(query, contentType, body, settings);
            push.addToGroup(Params.required(fields.get("g"), "g"), keys(fields.get("k")));
            return null;
        });
    }

    public Answer remove(Map<String, String> query, String contentType, InputStream body) {
        return Reply.v1().text(() -> {
            Map<String, String> fields = Endpoints.fields(query, contentType, body, settings);
            push.removeFromGroup(Params.required(fields.get("g"), "g"), keys(fields.get("k")));
            return null;
        });
    }

    /** {@code {"keys":[...]}}: a page of the group's keys in order, after {@code after}. */
    public Answer keys(String group, String after, String limit) {
        return Reply.v1().text(() -> {
            long size = limit == null || limit.isEmpty() ? DEFAULT_PAGE : Params.unsigned(limit, "limit");
            List<String> page = push.groupKeys(Params.required(group, "g"), after == null || after.isEmpty() ? null
                    : after, (int) Math.min(size, settings.groupKeys()));
            return list("keys", page);
        });
    }

    /** {@code {"groups":[...]}}: the groups the key is in. */
    public Answer of(String key) {
        return Reply.v1().text(() -> list("groups", push.groupsOf(Params.required(key, "k"))));
    }

    /** {@code {"keys":[...]}}: the group's keys with a connection now. */
    public Answer online(String group) {
        return Reply.v1().text(() -> list("keys", push.onlineInGroup(Params.required(group, "g"))));
    }

    /** A group push; {@code {"fk":[...]}} names the keys it failed for, if any. */
    public Answer push(String group, String expire, String idempotencyKey, InputStream body) {
        return Reply.v1().text(() -> {
            long seconds = Params.unsigned(expire, "expire");
            List<String> failed = push.pushToGroup(Params.required(group, "g"),
                    Params.body(body, settings.messageMaxBytes()), seconds, idempotencyKey);
            return failed.isEmpty() ? null : list("fk", failed);
        });
    }

    private static List<String> keys(String list) {
        return Params.commaList(list, "k");
    }

    private static String list(String name, List<String> values) {
        return Endpoints.jsonList(name, values);
    }
}
