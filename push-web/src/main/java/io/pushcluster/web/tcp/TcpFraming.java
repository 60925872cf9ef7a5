package io.pushcluster.web.tcp;

import io.pushcluster.engine.connection.Ending;
import io.pushcluster.engine.subscribe.Framing;
import io.pushcluster.engine.subscribe.Replies;
import java.nio.charset.StandardCharsets;

/** PROTOCOL.md A.5 on the wire: replies as they are, each push as {@code $<byte length>\r\n<json>\r\n}. */
final class TcpFraming implements Framing {

    private static final byte[] HEARTBEAT = Replies.HEARTBEAT.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] message(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("$" + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + body.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT;
    }

    @Override
    public byte[] refusal(String reply) {
        return reply == null ? NOTHING : reply.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] farewell() {
        return NOTHING;
    }

    /** The reply line ({@code -k}, {@code -b}), or nothing for too many frames; then the server closes. */
    @Override
    public byte[] ending(Ending why) {
        return refusal(Replies.ending(why));
    }
}
