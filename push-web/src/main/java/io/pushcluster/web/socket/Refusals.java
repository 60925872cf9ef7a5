package io.pushcluster.web.socket;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes subscribers refused while they open. Tyrus on Payara runs {@code @OnOpen} before it has
 * written the handshake response, so a session closed there breaks the upgrade (the HTTP worker then
 * fails its next request). The reply frame is queued at once; the close follows a moment later.
 */
@ApplicationScoped
public class Refusals {

    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());
    /** Far longer than the rest of a handshake takes once {@code @OnOpen} has returned. */
    private static final long CLOSE_DELAY_MILLIS = 100;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Queues the reply (none when null) and closes the session after the handshake is complete. */
    public void refuse(Session session, String reply) {
        if (reply != null) {
            session.getAsyncRemote().sendText(reply);
        }
        scheduler.schedule(() -> close(session), CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void close(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing a refused subscriber failed", e);
        }
    }
}
