package io.pushcluster.web.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server (from the embedded-redis jar) on a free port of 127.0.0.1 that writes every
 * change to its append-only file, so that it keeps its data when stopped and started again.
 */
final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private final RedisServer server;

    private EmbeddedRedis(int port, Path dataDirectory) throws IOException {
        this.port = port;
        this.server = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("dir " + dataDirectory.toAbsolutePath())
                .setting("save \"\"")
                .setting("appendonly yes")
                .setting("appendfsync always")
                .build();
    }

    static EmbeddedRedis start() {
        try {
            EmbeddedRedis redis = new EmbeddedRedis(freePort(), Files.createTempDirectory("redis-data"));
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

    int port() {
        return port;
    }

    void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void restart() {
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
