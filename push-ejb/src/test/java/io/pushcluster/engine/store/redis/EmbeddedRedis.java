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
    /** The server process's id once asked for; asked again after a restart. */
    private volatile long processId;

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

    /** Stops the server's process as SIGSTOP does: connections stay open and nothing is answered. */
    public void pause() {
        signal("-STOP");
    }

    /** Lets a paused server go on; it then runs what it received meanwhile. */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        long pid = processId;
        if (pid == 0) {
            try (Jedis jedis = client()) {
                pid = Long.parseLong(jedis.info("server").lines().filter(line -> line.startsWith("process_id:"))
                        .findFirst().orElseThrow().substring("process_id:".length()).strip());
            }
            processId = pid;
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
        processId = 0;
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
