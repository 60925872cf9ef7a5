package io.pushcluster.web.health;

import io.pushcluster.web.config.ListenerAddresses;
import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.engine.cluster.ClusterMember;
import io.pushcluster.engine.config.HostPort;
import io.pushcluster.engine.store.MessageStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts this member on the cluster's ring only once it can serve the keys it will own (unless it
 * entered at start, finding no other member on the ring), and takes it off first when the application
 * stops. Payara starts the application's beans (and the listeners of
 * our own, which fail the deployment when they cannot bind) before it maps the application on its
 * HTTP port, and a member on the ring is sent its keys' subscribers at once; so after the
 * application has started, a thread asks the member's own HTTP port for {@code /1/time/get} until
 * this application answers, and the store whether it answers, then enters the ring. When the
 * application stops, the member leaves the ring before anything else closes: the connections of its
 * keys are closed while it still answers, and their clients find the new owners at once.
 */
@WebListener
public class RingEntry implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(RingEntry.class.getName());
    private static final int PROBE_TIMEOUT_MILLIS = 2_000;
    private static final long LONGEST_PAUSE_MILLIS = 1_000;
    private static final long REPORT_EVERY_NANOS = 30_000_000_000L;

    @Inject
    ClusterMember member;

    @Inject
    TransportSettings settings;

    @Inject
    ListenerAddresses addresses;

    @Inject
    MessageStore store;

    @Resource
    ManagedThreadFactory threads;

    private volatile boolean stopping;
    private Thread entering;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        addresses.advertise();
        entering = threads.newThread(this::enterWhenServing);
        entering.setName("push-ring-entry");
        entering.start();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        stopping = true;
        entering.interrupt();
        try {
            entering.join(PROBE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            member.leaveRing();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "leaving the ring failed; the others notice when this member's grid stops", e);
        }
    }

    private void enterWhenServing() {
        long startedNanos = System.nanoTime();
        long reportedNanos = startedNanos;
        long pauseMillis = 50;
        while (!stopping) {
            String why = notServingBecause();
            if (why == null) {
                member.enterRing();
                return;
            }
            if (System.nanoTime() - reportedNanos > REPORT_EVERY_NANOS) {
                reportedNanos = System.nanoTime();
                long seconds = (reportedNanos - startedNanos) / 1_000_000_000L;
                LOG.warning(() -> "not on the ring yet after " + seconds + " s: " + why);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                return;
            }
            pauseMillis = Math.min(2 * pauseMillis, LONGEST_PAUSE_MILLIS);
        }
    }

    /** Why this member cannot serve its keys yet; null when it can. */
    private String notServingBecause() {
        if (settings.httpPort() > 0) {
            String host = settings.httpHost();
            if (host.isEmpty() || HostPort.everyInterface(host)) {
                host = "127.0.0.1";
            }
            String url = "http://" + HostPort.format(host, settings.httpPort()) + "/1/time/get";
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
                connection.setConnectTimeout(PROBE_TIMEOUT_MILLIS);
                connection.setReadTimeout(PROBE_TIMEOUT_MILLIS);
                try {
                    int status = connection.getResponseCode();
                    String body;
                    try (InputStream in = status == 200 ? connection.getInputStream() : connection.getErrorStream()) {
                        body = in == null ? "" : new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                    }
                    if (status != 200 || !body.contains("\"timeid\"")) {
                        return url + " answered HTTP " + status;
                    }
                } finally {
                    connection.disconnect();
                }
            } catch (IOException | RuntimeException e) {
                return url + " does not answer: " + e;
            }
        }
        try {
            store.check();
        } catch (RuntimeException e) {
            return "the message store does not answer: " + e.getMessage();
        }
        return null;
    }
}
