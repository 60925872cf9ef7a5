package io.pushcluster.web.socket;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.Admission;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.connection.SubscribeGate;
import io.pushcluster.engine.connection.SubscribeRequest;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.web.subscribe.Replies;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ws://host:port/sub?key=K&heartbeat=S&token=T&ver=V}: gopush-cluster's WebSocket subscribe.
 * The connection is downstream only: the client may send nothing but the heartbeat {@code h}.
 */
@ServerEndpoint(value = "/sub", configurator = OriginCheck.class)
public class SubscribeEndpoint {

    private static final Logger LOG = Logger.getLogger(SubscribeEndpoint.class.getName());
    /** Longest client frame read; a heartbeat is one byte. */
    private static final int MAX_CLIENT_FRAME = 128;

    @Inject
    PushSettings settings;

    @Inject
    SubscribeGate gate;

    @Inject
    ConnectionHub hub;

    @Inject
    PushStats stats;

    @Inject
    Refusals refusals;

    private WebSocketConnection connection;

    @OnOpen
    public void open(Session session) {
        session.setMaxIdleTimeout(0);
        Map<String, List<String>> params = session.getRequestParameterMap();
        Optional<SubscribeRequest> parsed = SubscribeRequest.parse(first(params, "key"), first(params, "heartbeat"),
                first(params, "token"), first(params, "ver"), settings);
        if (parsed.isEmpty()) {
            refusals.refuse(session, Replies.BAD_PARAMETER);
            return;
        }
        SubscribeRequest request = parsed.get();
        Admission admission = gate.check(request);
        if (admission != Admission.ACCEPTED) {
            refusals.refuse(session, Replies.refusal(admission));
            return;
        }
        WebSocketConnection candidate = new WebSocketConnection(session, request.key(), request.versioned(),
                request.silenceLimitNanos(settings), settings.sendQueue(), hub, stats);
        if (!hub.add(candidate)) {
            refusals.refuse(session, null);
            return;
        }
        connection = candidate;
        candidate.start(Replies.HEARTBEAT);
    }

    @OnMessage(maxMessageSize = MAX_CLIENT_FRAME)
    public void text(Session session, String text) {
        if (connection != null && Replies.CLIENT_HEARTBEAT.equals(text)) {
            connection.heard();
            connection.write(Replies.HEARTBEAT);
        } else {
            closeConnection(session);
        }
    }

    @OnMessage(maxMessageSize = MAX_CLIENT_FRAME)
    public void binary(Session session, ByteBuffer data) {
        closeConnection(session);
    }

    @OnClose
    public void closed(Session session, CloseReason reason) {
        if (connection != null) {
            connection.close();
        }
    }

    @OnError
    public void failed(Session session, Throwable error) {
        LOG.log(Level.FINE, "WebSocket subscriber failed", error);
        closeConnection(session);
    }

    private void closeConnection(Session session) {
        if (connection != null) {
            connection.close();
        } else {
            closeQuietly(session);
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing a subscriber failed", e);
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
