package io.pushcluster.web.tcp;

import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.subscribe.SubscribeRequest;
import io.pushcluster.engine.subscribe.Subscriptions;
import java.util.List;
import java.util.Optional;

/**
 * The TCP subscribe command, {@code sub key heartbeat [token] [version]}: the checks and replies of
 * WebSocket subscribe (PROTOCOL.md A.4), then the subscriber's connection joins the hub.
 */
final class SubscribeCommand {

    private static final String NAME = "sub";
    private static final int MIN_ARGUMENTS = 3;
    private static final int MAX_ARGUMENTS = 5;

    private final PushSettings settings;
    private final int argumentMaxBytes;
    private final Subscriptions subscriptions;

    SubscribeCommand(PushSettings settings, int argumentMaxBytes, Subscriptions subscriptions) {
        this.settings = settings;
        this.argumentMaxBytes = argumentMaxBytes;
        this.subscriptions = subscriptions;
    }

    /** A parser for one command from a new client. */
    MultiBulkParser parser() {
        return new MultiBulkParser(MIN_ARGUMENTS, MAX_ARGUMENTS, argumentMaxBytes);
    }

    /** The request the arguments make, or empty when they are not a valid subscribe ({@code -p}). */
    private static Optional<SubscribeRequest> request(List<String> arguments, PushSettings settings) {
        if (arguments.size() < MIN_ARGUMENTS || arguments.size() > MAX_ARGUMENTS || !NAME.equals(arguments.get(0))) {
            return Optional.empty();
        }
        return SubscribeRequest.parse(arguments.get(1), arguments.get(2),
                arguments.size() > 3 ? arguments.get(3) : null, arguments.size() > 4 ? arguments.get(4) : null,
                settings);
    }

    /** Subscribes the client, or refuses it with the reply of A.4 and closes it. */
    void run(List<String> arguments, TcpSubscriber subscriber) {
        subscriptions.subscribe(request(arguments, settings), subscriber);
    }

    /** {@code -p}, for a command framed correctly but with a number of arguments no command has. */
    void refuseArgumentCount(TcpSubscriber subscriber) {
        subscriptions.subscribe(Optional.empty(), subscriber);
    }
}
