package io.pushcluster.web.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/**
 * The resources answer at the root, where gopush-cluster clients look for them. Jersey's WADL is off:
 * it described every admin path to anyone who asked for {@code /application.wadl} or sent {@code OPTIONS}.
 */
@ApplicationPath("/")
public class PushApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
