package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.stats.Disconnect;
import io.pushcluster.engine.stats.PushStats;
import io.pushcluster.engine.stats.Refusal;
import io.pushcluster.engine.stats.TransportKind;
import java.util.Optional;

/**
 * The subscribes of one listener: the checks and replies of PROTOCOL.md A.4 in the listener's framing,
 * then the subscriber's connection joins the hub.
 */
public final class Subscriptions {

    private final PushSettings settings;
    private final SubscribeGate gate;
    private final ConnectionHub hub;
    private final PushStats stats;
    private final Framing framing;
    private final TransportKind transport;

    public Subscriptions(PushSettings settings, SubscribeGate gate, ConnectionHub hub, PushStats stats,
            Framing framing, TransportKind transport) {
        this.transport = transport;
        this.settings = settings;
        this.gate = gate;
        this.hub = hub;
        this.stats = stats;
        this.framing = framing;
    }

    /**
     * Subscribes the transport's client, or refuses it with the reply of A.4; on the thread that read the request.
     *
     * @param parsed the request, or empty when its parameters are invalid ({@code -p})
     */
    public void subscribe(Optional<SubscribeRequest> parsed, Transport transport) {
        if (parsed.isEmpty()) {
            stats.refused(Refusal.BAD_PARAMETER);
            transport.refuse(framing.refusal(Replies.BAD_PARAMETER));
            return;
        }
        SubscribeRequest request = parsed.get();
        Admission admission = gate.check(request);
        if (admission != Admission.ACCEPTED) {
            stats.refused(refusal(admission));
            transport.refuse(framing.refusal(Replies.refusal(admission)));
            return;
        }
        SubscriberSession connection = new SubscriberSession(transport, this, request.key(), request.versioned(),
                request.silenceLimitNanos(settings));
        connection.write(framing.heartbeat());
        if (!hub.add(connection)) {
            transport.refuse(framing.refusal(Replies.refusal(Admission.KEY_FULL)));
            return;
        }
        transport.subscribed(connection);
        connection.start();
    }

    private static Refusal refusal(Admission admission) {
        return switch (admission) {
            case BAD_PARAMETER -> Refusal.BAD_PARAMETER;
            case BANNED -> Refusal.BANNED;
            case NOT_OWNER -> Refusal.NOT_OWNER;
            case NO_TOKENS -> Refusal.NO_TOKENS;
            case BAD_TOKEN -> Refusal.BAD_TOKEN;
            case KEY_FULL, ACCEPTED -> Refusal.KEY_FULL;
        };
    }

    Framing framing() {
        return framing;
    }

    TransportKind transport() {
        return transport;
    }

    int queueLimit() {
        return settings.sendQueue();
    }

    int framesPerSecond() {
        return settings.clientFramesPerSecond();
    }

    void tooManyFrames() {
        stats.disconnected(Disconnect.TOO_MANY_FRAMES);
    }

    void slowDisconnect() {
        stats.disconnected(Disconnect.SLOW);
    }

    void leave(SubscriberSession connection) {
        hub.remove(connection);
    }
}
