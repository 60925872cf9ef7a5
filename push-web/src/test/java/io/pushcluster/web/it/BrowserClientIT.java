package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The browser client (/push.js) and the demo page (/demo) in a real browser: {@code e2e.mjs} (in
 * push-web/src/test/browser) drives Debian's headless Chromium with playwright-core against this
 * deployment. Node.js, npm and Chromium must be installed ({@code .ci/run} installs them): without
 * them this test fails, it never skips.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserClientIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.pushWar(Map.of("push.tcp.enabled", "false"));
    }

    @ArquillianResource
    URL base;

    @Test
    void clientAndDemoAreServedWithTheirTypesAndRevalidated() {
        Http http = new Http(base);
        Http.Reply script = http.get("/push.js");
        assertEquals(200, script.status());
        assertEquals("application/javascript;charset=utf-8", script.contentType());
        assertEquals("no-cache", script.header("Cache-Control"));
        assertEquals("nosniff", script.header("X-Content-Type-Options"));
        assertTrue(script.body().contains("class PushClient"), script.body());
        String tag = script.header("ETag");
        assertNotNull(tag);
        Http.Reply unchanged = http.get("/push.js", "If-None-Match", tag);
        assertEquals(304, unchanged.status());
        assertEquals("", unchanged.body());

        Http.Reply demo = http.get("/demo");
        assertEquals(200, demo.status());
        assertEquals("text/html;charset=utf-8", demo.contentType());
        assertTrue(demo.body().contains("<script src=\"push.js\"></script>"), demo.body());
        assertEquals(304, http.get("/demo", "If-None-Match", demo.header("ETag")).status());
        assertEquals(200, http.get("/demo", "If-None-Match", tag).status());
    }

    /**
     * The demo page subscribes and shows a push; the server closes the connection and the page stays
     * away while messages are pushed; after the reconnect each appears once, in mid order, including
     * one that arrived both on the socket and in the fetch of missed messages. A page of another origin
     * uses the client over JSONP. The script's output tells what each step checked.
     */
    @Test
    void browserReceivesWhatItMissedOnceAfterTheConnectionIsCut() throws IOException {
        BrowserRun.run("http://127.0.0.1:" + base.getPort(), Map.of(), "e2e.log");
    }
}
