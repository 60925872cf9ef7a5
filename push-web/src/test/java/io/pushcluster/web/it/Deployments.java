package io.pushcluster.web.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
final class Deployments {

    private Deployments() {
    }

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
        String war = System.getProperty("push.war", "target/push-web.war");
        String properties = settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                .importFrom(new File(war)).as(WebArchive.class)
                .addAsResource(new StringAsset(properties), "META-INF/microprofile-config.properties");
    }
}
