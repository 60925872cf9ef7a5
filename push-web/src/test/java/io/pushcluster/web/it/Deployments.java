package io.pushcluster.web.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WAR the build produced, deployed as ROOT.war (context root /) with the test's settings added
 * as a MicroProfile Config source.
 */
public final class Deployments {

    private Deployments() {
    }

    /**
     * Unless the settings name one, the TCP listener gets a free port, and the WebSocket and HTTP
     * listeners of our own are off, so that no test depends on ports derived from Payara's.
     */
    static WebArchive pushWar(Map<String, String> settings) {
        return pushWar(settings, "");
    }

    /**
     * As {@link #pushWar(Map)}, and the server boots with these asadmin post-boot commands (for
     * example a connection pool): the adapter starts Payara Micro only when it deploys, after this.
     */
    static WebArchive pushWar(Map<String, String> settings, String postBootCommands) {
        try {
            Files.writeString(Path.of(System.getProperty("push.postbootFile")), postBootCommands);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new HashMap<>(settings);
        all.computeIfAbsent("push.tcp.bind", name -> "127.0.0.1:" + freePort());
        // the listeners of our own are on by default (on ports derived from Payara's random HTTP port):
        // a test that wants one sets its address; the defaults are proven by DefaultListenersIT
        all.putIfAbsent("push.websocket.bind", "off");
        all.putIfAbsent("push.http.bind", "off");
        String war = System.getProperty("push.war", "target/push-web.war");
        String properties = all.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                .importFrom(new File(war)).as(WebArchive.class)
                .addAsResource(new StringAsset(properties), "META-INF/microprofile-config.properties");
    }

    /** A port of 127.0.0.1 free at the moment of asking. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
