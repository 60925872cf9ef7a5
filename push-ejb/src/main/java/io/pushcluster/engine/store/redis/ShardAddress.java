package io.pushcluster.engine.store.redis;

import io.pushcluster.engine.config.RedisSettings;
import io.pushcluster.engine.config.PushSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where one Redis server is and how to log in: {@code redis://[user:password@]host[:port][/database]},
 * or {@code rediss://} for TLS. The port defaults to 6379 and the database to 0; a password alone is
 * written {@code :password@}. Characters such as {@code @ : / ,} in a user or password are
 * percent-encoded.
 */
record ShardAddress(HostAndPort hostAndPort, String user, String password, int database, boolean tls) {

    private static final int DEFAULT_PORT = 6379;

    /** @throws IllegalArgumentException naming the server, never showing its password */
    static ShardAddress parse(String server, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(server, "is not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw invalid(server, "must start with redis:// or rediss://");
        }
        if (uri.getHost() == null) {
            throw invalid(server, "names no host");
        }
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            int colon = uri.getUserInfo().indexOf(':');
            if (colon < 0) {
                throw invalid(server, "must give user:password@ or :password@");
            }
            user = colon == 0 ? null : uri.getUserInfo().substring(0, colon);
            password = uri.getUserInfo().substring(colon + 1);
        }
        return new ShardAddress(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()),
                user, password, database(server, uri.getPath()), scheme.equals("rediss"));
    }

    private static int database(String server, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        if (!path.matches("/\\d{1,9}")) {
            throw invalid(server, "has a database that is not a number from 0: " + path);
        }
        return Integer.parseInt(path.substring(1));
    }

    private static IllegalArgumentException invalid(String server, String problem) {
        return new IllegalArgumentException(RedisSettings.SERVERS + ": the URI of server '" + server + "' "
                + problem);
    }

    /** The connection settings, with {@code timeoutMillis} to connect and to wait for any reply. */
    JedisClientConfig clientConfig(int timeoutMillis) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .user(user)
                .password(password)
                .database(database)
                .ssl(tls)
                // no CLIENT SETINFO round trips on every new connection
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .build();
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + hostAndPort + "/" + database;
    }
}
