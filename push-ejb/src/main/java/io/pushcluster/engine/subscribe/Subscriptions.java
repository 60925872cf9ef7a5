package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.connection.ConnectionHub;
import io.pushcluster.engine.stats.PushStats;
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

    public Subscriptions(PushSettings settings, SubscribeGate gate, ConnectionHub hub, PushStats stats,
            Framing framing) {
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
            transport.refuse(framing.refusal(Replies.BAD_PARAMETER));
            return;
        }
        SubscribeRequest request = parsed.get();
        Admission admission = gate.check(request);
        if (admission != Admission.ACCEPTED) {
            if (admission == Admission.BANNED) {
                stats.refusedBanned();
            }
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

    Framing framing() {
        return framing;
    }

    int queueLimit() {
        return settings.sendQueue();
    }

    int framesPerSecond() {
        return settings.clientFramesPerSecond();
    }

    void tooManyFrames() {
        stats.tooManyFrames();
    }

    void slowDisconnect() {
        stats.slowDisconnect();
    }

    void leave(SubscriberSession connection) {
        hub.remove(connection);
    }
}
