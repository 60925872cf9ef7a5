package io.pushcluster.web.tcp;

import io.pushcluster.web.subscribe.Replies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One accepted TCP socket from its subscribe command to its close: reads the command, has it carried
 * out, then reads heartbeats, each the single byte {@code h}. Reads run on the selector thread; the
 * socket may be closed from any thread.
 */
final class TcpSubscriber {

    private static final Logger LOG = Logger.getLogger(TcpSubscriber.class.getName());
    private static final byte CLIENT_HEARTBEAT = 'h';

    private final SocketChannel channel;
    private final SelectionKey selectionKey;
    private final long commandDeadlineNanos;
    private final SubscribeCommand command;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private MultiBulkParser parser;
    private volatile TcpConnection connection;

    /** @param onClose runs once, after the socket is closed */
    TcpSubscriber(SocketChannel channel, SelectionKey selectionKey, long commandDeadlineNanos,
            SubscribeCommand command, Runnable onClose) {
        this.channel = channel;
        this.selectionKey = selectionKey;
        this.commandDeadlineNanos = commandDeadlineNanos;
        this.command = command;
        this.onClose = onClose;
        this.parser = command.parser();
    }

    SocketChannel channel() {
        return channel;
    }

    long commandDeadlineNanos() {
        return commandDeadlineNanos;
    }

    /** Open and not yet subscribed. */
    boolean awaitsCommand() {
        return connection == null && !closed.get();
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Reads what arrived into the buffer and acts on it. */
    void readable(ByteBuffer buffer) {
        buffer.clear();
        int read;
        try {
            read = channel.read(buffer);
        } catch (IOException e) {
            close();
            return;
        }
        if (read < 0) {
            close();
            return;
        }
        buffer.flip();
        if (connection == null && !readCommand(buffer)) {
            return;
        }
        readHeartbeats(buffer);
    }

    /** Whether the subscriber is subscribed now, with any bytes that followed the command left in the buffer. */
    private boolean readCommand(ByteBuffer buffer) {
        List<String> arguments;
        try {
            arguments = parser.feed(buffer);
        } catch (MalformedCommandException e) {
            LOG.fine(() -> "closing a TCP client that sent a malformed command: " + e.getMessage());
            if (e.wrongArgumentCount()) {
                refuse(Replies.BAD_PARAMETER);
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
        return connection != null && !isClosed();
    }

    private void readHeartbeats(ByteBuffer buffer) {
        TcpConnection subscribed = connection;
        while (buffer.hasRemaining()) {
            if (buffer.get() != CLIENT_HEARTBEAT) {
                close();
                return;
            }
            subscribed.heard();
            if (!subscribed.write(TcpConnection.HEARTBEAT)) {
                return;
            }
        }
    }

    void writable() {
        TcpConnection subscribed = connection;
        if (subscribed != null) {
            subscribed.writable();
        }
    }

    void subscribed(TcpConnection subscribed) {
        connection = subscribed;
    }

    /** Sends an error reply and closes. */
    void refuse(String reply) {
        try {
            channel.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
            channel.shutdownOutput();
        } catch (IOException e) {
            // the client is gone; closing is all that is left
        }
        close();
    }

    /** Asks the selector thread to call {@link #writable} once the socket takes more, or stops asking. */
    void awaitWritable(boolean await) {
        try {
            if (await) {
                selectionKey.interestOpsOr(SelectionKey.OP_WRITE);
                selectionKey.selector().wakeup();
            } else {
                selectionKey.interestOpsAnd(~SelectionKey.OP_WRITE);
            }
        } catch (CancelledKeyException e) {
            close();
        }
    }

    /** Closes the socket, leaving the hub first when subscribed. */
    void close() {
        TcpConnection subscribed = connection;
        if (subscribed != null) {
            subscribed.close();
        } else {
            closeSocket();
        }
    }

    /** Closes the socket alone; {@link TcpConnection#close} has the hub's part. */
    void closeSocket() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing is left to release
            }
            onClose.run();
        }
    }
}
