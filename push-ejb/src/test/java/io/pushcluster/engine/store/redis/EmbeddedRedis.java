package io.pushcluster.engine.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server (from the embedded-redis jar) on a free port of 127.0.0.1. It can be stopped
 * and started again on the same port; a persistent one keeps its data across that.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private final RedisServer server;

    private EmbeddedRedis(int port, Path dataDirectory) throws IOException {
        this.port = port;
        RedisServerBuilder builder = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"");
        if (dataDirectory == null) {
            builder.setting("appendonly no");
        } else {
            builder.setting("dir " + dataDirectory.toAbsolutePath())
                    .setting("appendonly yes")
                    .setting("appendfsync always");
        }
        this.server = builder.build();
    }

    /** A server that keeps nothing on disk. */
    public static EmbeddedRedis start() {
        return start(null);
    }

    /** A server that writes every change to its append-only file, so a restart keeps the data. */
    public static EmbeddedRedis startPersistent() {
        try {
            return start(Files.createTempDirectory("redis-data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedRedis start(Path dataDirectory) {
        try {
            EmbeddedRedis redis = new EmbeddedRedis(freePort(), dataDirectory);
            redis.server.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** A connection of the test's own, to look at what the store wrote. */
    public Jedis client() {
        return new Jedis("127.0.0.1", port);
    }

    public void flushAll() {
        try (Jedis jedis = client()) {
            jedis.flushAll();
        }
    }

    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
