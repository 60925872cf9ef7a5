package io.pushcluster.web.rest;

import io.pushcluster.api.PushService;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.message.JsonText;
import io.pushcluster.engine.message.PushedMessage;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Offline messages: what a key missed after a given mid. */
@Path("")
public class MessageResource {

    @EJB
    PushService push;

    @GET
    @Path("1/msg/get")
    public Response v1(@QueryParam("k") String key, @QueryParam("m") String mid, @QueryParam("cb") String cb) {
        return Reply.v1(cb).answer(() -> {
            List<StoredMessage> messages = read(key, mid);
            if (messages.isEmpty()) {
                return null;
            }
            StringBuilder data = new StringBuilder("{\"msgs\":[");
            for (int i = 0; i < messages.size(); i++) {
                data.append(i == 0 ? "" : ",").append(toPushed(messages.get(i)).versionedForm());
            }
            return data.append("]}").toString();
        });
    }

    @GET
    @Path("msg/get")
    public Response legacy(@QueryParam("key") String key, @QueryParam("mid") String mid,
            @QueryParam("pmid") String pmid, @QueryParam("callback") String callback) {
        return Reply.legacy(callback).answer(() -> {
            if (pmid != null && !pmid.isEmpty()) {
                Params.unsigned(pmid, "pmid");
            }
            List<StoredMessage> messages = read(key, mid);
            if (messages.isEmpty()) {
                return null;
            }
            StringBuilder data = new StringBuilder("{\"msgs\":[");
            for (int i = 0; i < messages.size(); i++) {
                data.append(i == 0 ? "" : ",");
                JsonText.appendQuoted(data, toPushed(messages.get(i)).legacyForm());
            }
            return data.append("],\"pmsgs\":[]}").toString();
        });
    }

    private List<StoredMessage> read(String key, String mid) {
        Params.required(key, "key");
        return push.messagesAfter(key, Params.unsigned(mid, "mid"));
    }

    private static PushedMessage toPushed(StoredMessage message) {
        return new PushedMessage(message.mid(), message.gid(), message.message());
    }
}
