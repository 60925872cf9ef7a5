package io.pushcluster.web.it.injector;

import io.pushcluster.api.PushService;
import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;

/** Injects the push server's bean as deployed on Payara Server: the EAR. */
@WebServlet("/push")
public class PushOnPayaraServer extends PushServlet {

    @EJB(lookup = "java:global/push/push-ejb/PushServiceBean!io.pushcluster.api.PushService")
    PushService push;

    @Override
    protected PushService pushService() {
        return push;
    }
}
