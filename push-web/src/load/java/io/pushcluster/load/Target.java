package io.pushcluster.load;

import java.io.IOException;
import java.net.URI;

/**
 * The server under test: URL templates ({@code {k}} the key, {@code {h}} the heartbeat, {@code {e}}
 * the expiry), with this project's paths by default and any other server's (the reference) by option,
 * and the keys the run uses. {@code wss:} and {@code https:} templates speak TLS, trusting the
 * certificates of {@code --trust KEYSTORE.p12} (with {@code --trust-password}, default changeit).
 */
final class Target {

    final String subscribeUrl;
    final String pushUrl;
    final String multiPushUrl;
    final String fanoutUrl;
    final String groupUrl;
    final String offlineUrl;
    final String statsUrl;
    final String authorization;
    private final String trustStore;
    private final String trustPassword;
    private final String keyPrefix;
    private final long keyOffset;

    Target(Options o) {
        URI server = Options.loopbackUri(o.text("server", "http://127.0.0.1:8080"));
        String http = "http://" + server.getHost() + ":" + server.getPort();
        String ws = "ws://" + server.getHost() + ":" + server.getPort();
        subscribeUrl = checked(o.text("sub-url", ws + "/sub?key={k}&heartbeat={h}&ver=1"));
        pushUrl = checked(o.text("push-url", http + "/1/admin/push/private?key={k}&expire={e}"));
        multiPushUrl = checked(o.text("mpush-url", http + "/1/admin/push/mprivate?expire={e}"));
        fanoutUrl = o.text("fanout-url", null) == null ? null : checked(o.text("fanout-url", null));
        groupUrl = o.text("group-url", null) == null ? null : checked(o.text("group-url", null));
        offlineUrl = checked(o.text("get-url", http + "/1/msg/get?k={k}&m=0"));
        String stats = o.text("stats-url", http + "/1/admin/stats");
        statsUrl = stats.equals("none") ? stats : checked(stats);
        String token = o.text("admin-token", null);
        authorization = token == null ? null : "Bearer " + token;
        trustStore = o.text("trust", null);
        trustPassword = o.text("trust-password", "changeit");
        ClientTls.trusting(trustStore, trustPassword); // a bad keystore fails here, before the run
        keyPrefix = o.text("key-prefix", "lk" + Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36) + "-");
        keyOffset = o.number("key-offset", 0);
    }

    private static String checked(String template) {
        Options.loopbackUri(template);
        return template;
    }

    String key(long index) {
        return keyPrefix + (keyOffset + index);
    }

    /** The path and query of a template, with {@code {e}} filled in and {@code {k}} left for {@link #withKey}. */
    static String pathTemplate(String urlTemplate, long expire) {
        String filled = urlTemplate.replace("{e}", Long.toString(expire));
        int hostStart = filled.indexOf("//") + 2;
        int pathStart = filled.indexOf('/', hostStart);
        return pathStart < 0 ? "/" : filled.substring(pathStart);
    }

    static String withKey(String pathTemplate, String key) {
        return pathTemplate.replace("{k}", key);
    }

    static URI uriOf(String urlTemplate) {
        return URI.create(urlTemplate.replaceAll("\\{[a-z]}", "x"));
    }

    /** The TLS client for one thread's connections (null without --trust). */
    ClientTls tls() {
        return ClientTls.trusting(trustStore, trustPassword);
    }

    /** HTTP/1.1 requests to the server of a URL template, over TLS for https. */
    HttpLoad http(String urlTemplate, int connections) {
        return new HttpLoad(uriOf(urlTemplate), connections, authorization, tls());
    }

    /** Starts {@code count} subscribers on keys 0 to count-1 as the options say. */
    Subscribers subscribers(Options o, int count) throws IOException {
        int heartbeat = o.integer("heartbeat", 30);
        String template = subscribeUrl.replace("{h}", Integer.toString(heartbeat));
        Subscribers subscribers = new Subscribers(i -> template.replace("{k}", key(i)), tls(),
                Options.sourceAddresses(o.text("src", "")), count, o.decimal("connect-rate", 1000),
                o.integer("inflight", 200), o.integer("connect-timeout", 15), heartbeat);
        subscribers.start();
        return subscribers;
    }
}
