package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Message ids keep increasing across a restart (PROTOCOL.md B.1): the server is stopped and started
 * again (a new Payara Micro process) between two pushes to the same key.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartIT {

    private static final String NAME = "push";
    private static final String KEY = "restart-key";
    private static long midBeforeRestart;
    private static long timeIdBeforeRestart;

    @Deployment(name = NAME, managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of());
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    @Order(1)
    void start() {
        deployer.deploy(NAME);
    }

    @Test
    @Order(2)
    void pushThenStop(@ArquillianResource @OperateOnDeployment(NAME) URL base) {
        Http http = new Http(base);
        http.push(KEY, "{\"before\":true}", 600);
        midBeforeRestart = lastMid(http);
        timeIdBeforeRestart = http.get("/1/time/get").json().getJsonObject("data").getJsonNumber("timeid")
                .longValueExact();
        assertTrue(midBeforeRestart > 0);
        deployer.undeploy(NAME);
    }

    @Test
    @Order(3)
    void startAgain() {
        deployer.deploy(NAME);
    }

    @Test
    @Order(4)
    void idsAfterTheRestartAreGreater(@ArquillianResource @OperateOnDeployment(NAME) URL base) {
        Http http = new Http(base);
        long timeId = http.get("/1/time/get").json().getJsonObject("data").getJsonNumber("timeid").longValueExact();
        assertTrue(timeId > timeIdBeforeRestart, timeId + " > " + timeIdBeforeRestart);
        http.push(KEY, "{\"after\":true}", 600);
        long midAfterRestart = lastMid(http);
        assertTrue(midAfterRestart > midBeforeRestart, midAfterRestart + " > " + midBeforeRestart);
        assertTrue(midAfterRestart < (1L << 53));
        deployer.undeploy(NAME);
    }

    private static long lastMid(Http http) {
        JsonObject reply = http.get("/1/msg/get?k=" + KEY + "&m=0").json();
        assertEquals(0, reply.getInt("ret"));
        var msgs = reply.getJsonObject("data").getJsonArray("msgs");
        return msgs.getJsonObject(msgs.size() - 1).getJsonNumber("mid").longValueExact();
    }
}
