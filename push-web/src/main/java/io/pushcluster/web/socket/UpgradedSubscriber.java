package io.pushcluster.web.socket;

import io.pushcluster.engine.subscribe.SubscribeRequest;
import io.pushcluster.engine.subscribe.SubscriberSession;
import io.pushcluster.engine.subscribe.Subscriptions;
import io.pushcluster.engine.subscribe.Transport;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@code /sub} subscriber on a connection Payara upgraded: a {@link Transport} over the servlet
 * container's non-blocking streams. It subscribes as soon as the upgrade is complete, so that every
 * socket is either subscribed, with the heartbeat deadline that implies, or refused and closed.
 */
public class UpgradedSubscriber implements HttpUpgradeHandler, Transport, ReadListener, WriteListener {

    private static final Logger LOG = Logger.getLogger(UpgradedSubscriber.class.getName());
    /** Bytes read at a time; a subscriber sends six-byte heartbeats. */
    private static final int READ_BYTES = 512;

    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Guards the output stream, which the container's thread (a write became possible) and pushing
     * threads use; taken after the connection's lock, never before it.
     */
    private final Object writing = new Object();
    private final SubscriberFrames frames = new SubscriberFrames();
    private Optional<SubscribeRequest> request;
    private Subscriptions subscriptions;
    private Runnable onClose;
    private WebConnection web;
    private ServletInputStream input;
    private ServletOutputStream output;
    private volatile SubscriberSession connection;

    /** What the handshake decided, before the container calls {@link #init}. */
    void prepare(Optional<SubscribeRequest> parsed, Subscriptions subscriptionsOfSub, Runnable closed) {
        this.request = parsed;
        this.subscriptions = subscriptionsOfSub;
        this.onClose = closed;
    }

    @Override
    public void init(WebConnection upgraded) {
        web = upgraded;
        try {
            input = upgraded.getInputStream();
            output = upgraded.getOutputStream();
            output.setWriteListener(this);
            subscriptions.subscribe(request, this);
            if (connection != null && !isClosed()) {
                input.setReadListener(this);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "a /sub connection failed as it was upgraded", e);
            close();
        }
    }

    @Override
    public void onDataAvailable() {
        byte[] bytes = new byte[READ_BYTES];
        try {
            while (!isClosed() && input.isReady()) {
                int read = input.read(bytes);
                if (read < 0) {
                    close();
                    return;
                }
                frames.read(ByteBuffer.wrap(bytes, 0, read), connection);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "reading a /sub subscriber failed", e);
            close();
        }
    }

    @Override
    public void onAllDataRead() {
        close();
    }

    /** What was written before the container last said no goes out now, then what waits for it. */
    @Override
    public void onWritePossible() throws IOException {
        synchronized (writing) {
            if (output.isReady()) {
                output.flush();
            }
        }
        SubscriberSession subscribed = connection;
        if (subscribed != null) {
            subscribed.writable();
        }
    }

    @Override
    public void onError(Throwable failure) {
        LOG.log(Level.FINE, "a /sub subscriber's connection failed", failure);
        close();
    }

    /** The container ends the connection: the subscriber leaves the hub. */
    @Override
    public void destroy() {
        close();
    }

    @Override
    public void writeSome(ByteBuffer bytes) throws IOException {
        synchronized (writing) {
            if (isClosed() || !output.isReady()) {
                return;
            }
            try {
                output.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                bytes.position(bytes.limit());
                if (output.isReady()) {
                    output.flush();
                }
            } catch (IllegalStateException e) {
                throw new IOException("the connection no longer takes writes", e);
            }
        }
    }

    /** Nothing to ask: the container calls {@link #onWritePossible} after {@code isReady()} said no. */
    @Override
    public void awaitWritable(boolean await) {
        // armed by the isReady() call that left bytes behind
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void refuse(byte[] reply) {
        try {
            writeSome(ByteBuffer.wrap(reply));
        } catch (IOException e) {
            LOG.log(Level.FINE, "a refused /sub subscriber left before its reply", e);
        }
        closeTransport();
    }

    @Override
    public void subscribed(SubscriberSession subscribed) {
        connection = subscribed;
    }

    @Override
    public void closeTransport() {
        if (closed.compareAndSet(false, true)) {
            try {
                web.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing a /sub connection failed", e);
            }
            onClose.run();
        }
    }

    private void close() {
        SubscriberSession subscribed = connection;
        if (subscribed != null) {
            subscribed.close();
        } else {
            closeTransport();
        }
    }
}
