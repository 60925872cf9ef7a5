package io.pushcluster.web.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The resources answer at the root, where gopush-cluster clients look for them. */
@ApplicationPath("/")
public class PushApplication extends Application {
}
