package io.pushcluster.web.it;

import java.io.File;
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
        String war = System.getProperty("push.war", "target/push-web.war");
        String properties = settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                .importFrom(new File(war)).as(WebArchive.class)
                .addAsResource(new StringAsset(properties), "META-INF/microprofile-config.properties");
    }
}
