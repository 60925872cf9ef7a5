package io.pushcluster.web.http;

import io.pushcluster.web.config.TransportSettings;
import io.pushcluster.engine.config.HostPort;
import io.pushcluster.web.rest.RouteRequest;
import java.io.InputStream;
import java.util.Map;

/** A request the HTTP listener read, as a route reads it. */
record ListenerRequest(HttpRequest request, TransportSettings settings) implements RouteRequest {

    @Override
    public String query(String name) {
        return request.query(name);
    }

    @Override
    public Map<String, String> query() {
        return request.query();
    }

    @Override
    public String rawQuery() {
        return request.rawQuery();
    }

    @Override
    public String header(String name) {
        return request.header(name);
    }

    @Override
    public InputStream body() {
        return request.body();
    }

    /**
     * Where a client of this node finds {@code /sub} when no other WebSocket address is configured:
     * the host it reached this listener by, at Payara's HTTP port.
     */
    @Override
    public String address() {
        String host = request.header("host");
        if (host == null || host.isEmpty()) {
            host = settings.httpBind().host();
        }
        return HostPort.format(HostPort.hostOfHeader(host),
                settings.httpPort() > 0 ? settings.httpPort() : settings.httpBind().port());
    }
}
