package io.pushcluster.web.it.injector;

import io.pushcluster.api.PushService;
import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;

/** Injects the push server's bean as deployed on Payara Micro: the self-contained WAR. */
@WebServlet("/push")
public class PushOnPayaraMicro extends PushServlet {

    @EJB(lookup = "java:global/push/PushServiceBean!io.pushcluster.api.PushService")
    PushService push;

    @Override
    protected PushService pushService() {
        return push;
    }
}
