package io.pushcluster.web.socket;

import io.pushcluster.engine.subscribe.SubscriberSession;
import java.nio.ByteBuffer;
import java.util.logging.Logger;

/**
 * What a subscribed WebSocket client sends, acted on: a heartbeat is answered, a ping ponged, a close
 * returned; any other message, and a frame that breaks RFC 6455 or is longer than the server reads,
 * closes the connection with the status code that says why. The same for {@code /sub} on Payara's
 * port and for the WebSocket listener of our own.
 */
public final class SubscriberFrames {

    private static final Logger LOG = Logger.getLogger(SubscriberFrames.class.getName());

    private final FrameDecoder decoder = new FrameDecoder();

    /** Acts on the frames that arrived, bytes in pieces of any size; stops once the connection is closed. */
    public void read(ByteBuffer input, SubscriberSession subscribed) {
        try {
            FrameDecoder.ClientFrame frame;
            while ((frame = decoder.next(input)) != null) {
                if (!subscribed.frameArrived()) {
                    return;
                }
                boolean open = switch (frame) {
                    case HEARTBEAT -> subscribed.heartbeat();
                    case PING -> subscribed.write(WebSocketFraming.pong(decoder.pingPayload()));
                    case CLOSE -> {
                        subscribed.close(WebSocketFraming.close(decoder.closeCode()));
                        yield false;
                    }
                    case OTHER_MESSAGE -> {
                        subscribed.close();
                        yield false;
                    }
                };
                if (!open) {
                    return;
                }
            }
        } catch (FrameException e) {
            LOG.fine(() -> "closing a WebSocket subscriber that sent " + e.getMessage());
            subscribed.close(WebSocketFraming.close(e.closeCode()));
        }
    }
}
