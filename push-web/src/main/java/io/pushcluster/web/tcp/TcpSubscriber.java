package io.pushcluster.web.tcp;

import io.pushcluster.engine.subscribe.SubscriberSession;
import io.pushcluster.web.nio.SubscriberServer;
import io.pushcluster.web.nio.SubscriberSocket;
import io.pushcluster.engine.subscribe.Replies;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.logging.Logger;

/**
 * One accepted TCP socket: reads the subscribe command, has it carried out, then reads heartbeats,
 * each the single byte {@code h}.
 */
final class TcpSubscriber extends SubscriberSocket {

    private static final Logger LOG = Logger.getLogger(TcpSubscriber.class.getName());

    private final SubscribeCommand command;
    /** The command as it arrives; null once it is complete. */
    private MultiBulkParser parser;

    TcpSubscriber(SocketChannel channel, SelectionKey selectionKey, long subscribeDeadlineNanos,
            SubscriberServer server, SubscribeCommand command) {
        super(channel, selectionKey, subscribeDeadlineNanos, server);
        this.command = command;
        this.parser = command.parser();
    }

    @Override
    protected void received(ByteBuffer input) {
        if (connection() == null && !readCommand(input)) {
            return;
        }
        readHeartbeats(input);
    }

    /** Whether the subscriber is subscribed now, with any bytes that followed the command left in the input. */
    private boolean readCommand(ByteBuffer input) {
        List<String> arguments;
        try {
            arguments = parser.feed(input);
        } catch (MalformedCommandException e) {
            LOG.fine(() -> "closing a TCP client that sent a malformed command: " + e.getMessage());
            if (e.wrongArgumentCount()) {
                command.refuseArgumentCount(this);
            } else {
                close();
            }
            return false;
        }
        if (arguments == null) {
            return false;
        }
        parser = null;
        command.run(arguments, this);
        return connection() != null && !isClosed();
    }

    private void readHeartbeats(ByteBuffer input) {
        SubscriberSession subscribed = connection();
        while (input.hasRemaining()) {
            if (input.get() != Replies.CLIENT_HEARTBEAT) {
                close();
                return;
            }
            if (!subscribed.frameArrived()) {
                return;
            }
            if (!subscribed.heartbeat()) {
                return;
            }
        }
    }
}
