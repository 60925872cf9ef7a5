package io.pushcluster.web.guard;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Puts a {@link ClientErrorLog} in front of each handler of the root logger while the application
 * runs, and takes it away again when the application stops.
 */
@WebListener
public class ClientErrorLogging implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ClientErrorLog.Counter counter = new ClientErrorLog.Counter(System::nanoTime);
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (!(handler.getFilter() instanceof ClientErrorLog)) {
                handler.setFilter(new ClientErrorLog(handler.getFilter(), counter));
            }
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler.getFilter() instanceof ClientErrorLog ours) {
                handler.setFilter(ours.before());
            }
        }
    }
}
