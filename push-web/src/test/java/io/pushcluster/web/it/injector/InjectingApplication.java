package io.pushcluster.web.it.injector;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Another application, deployed beside the push server, that injects {@code PushService} by its global
 * JNDI name. It carries no copy of push-api: the operator puts push-api.jar on the server's common
 * class path, so that both applications see the same interface.
 */
public final class InjectingApplication {

    /** Its context root. */
    public static final String CONTEXT_ROOT = "/injector";

    private InjectingApplication() {
    }

    public static WebArchive onPayaraMicro() {
        return war(PushOnPayaraMicro.class);
    }

    public static WebArchive onPayaraServer() {
        return war(PushOnPayaraServer.class);
    }

    private static WebArchive war(Class<? extends PushServlet> servlet) {
        return ShrinkWrap.create(WebArchive.class, "injector.war").addClasses(PushServlet.class, servlet);
    }
}
