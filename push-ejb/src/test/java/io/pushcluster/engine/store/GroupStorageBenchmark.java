package io.pushcluster.engine.store;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.config.RedisSettings;
import io.pushcluster.engine.store.jpa.EmbeddedDatabase;
import io.pushcluster.engine.store.jpa.LocalTransactionStore;
import io.pushcluster.engine.store.redis.EmbeddedRedis;
import io.pushcluster.engine.store.redis.RedisMessageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * What a group message costs the store: the bytes it holds after {@code bench.messages} messages of
 * 1 KB saved for a group of {@code bench.keys} keys at once (one body, a reference per key), against
 * the same messages saved key by key (a copy per key), and how long each takes. On Payara's default
 * H2 in a file (the tables' disk space, H2's {@code DISK_SPACE_USED}) and on one Redis server
 * ({@code used_memory}). Not a unit test (its name keeps it out of the default test run):
 *
 * <pre>mvn -B -pl push-api,push-ejb verify -Dtest=GroupStorageBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Results are appended to push-ejb/benchmarks/group-storage.md.
 */
class GroupStorageBenchmark {

    private final int keys = Integer.getInteger("bench.keys", 1_000);
    private final int messages = Integer.getInteger("bench.messages", 50);
    private final long firstMid = Instant.now().toEpochMilli() * 1000;

    private record Measure(String store, String layout, long bytes, double seconds) {
    }

    @Test
    void groupMessagesAgainstCopies() throws Exception {
        List<Measure> measures = new ArrayList<>();
        for (boolean shared : new boolean[] {true, false}) {
            Path directory = Files.createTempDirectory(Path.of("target"), "h2-group-");
            EmbeddedDatabase h2 = EmbeddedDatabase.h2File(directory, "");
            try (LocalTransactionStore store = h2.store(messages + 10)) {
                double seconds = fill(store, shared);
                measures.add(new Measure("jpa-h2-file", layout(shared), h2DiskSpace(h2), seconds));
            }
            h2.close();
        }
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            for (boolean shared : new boolean[] {true, false}) {
                redis.flushAll();
                long before = redisUsed(redis);
                RedisMessageStore store = redis(redis);
                double seconds = fill(store, shared);
                measures.add(new Measure("redis", layout(shared), redisUsed(redis) - before, seconds));
            }
        }
        append(measures);
    }

    private String layout(boolean shared) {
        return shared ? "one save for " + keys + " keys" : keys + " saves of one key";
    }

    /** Saves the messages, for all keys at once or key by key; returns the seconds it took. */
    private double fill(MessageStore store, boolean shared) {
        List<String> group = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            group.add("member-" + i);
        }
        long start = System.nanoTime();
        for (int m = 0; m < messages; m++) {
            StoredMessage message = new StoredMessage(firstMid + m, 0, "{\"n\":" + m + ",\"text\":\""
                    + "x".repeat(1_000) + "\"}", System.currentTimeMillis() + 600_000);
            if (shared) {
                store.saveForKeys(group, message);
            } else {
                group.forEach(key -> store.save(key, message));
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static long h2DiskSpace(EmbeddedDatabase h2) throws SQLException {
        try (Connection connection = h2.connect(); Statement query = connection.createStatement()) {
            query.execute("CHECKPOINT");
            long bytes = 0;
            for (String table : List.of("PUSH_MESSAGE", "PUSH_MESSAGE_BODY")) {
                try (ResultSet used = query.executeQuery("CALL DISK_SPACE_USED('" + table + "')")) {
                    used.next();
                    bytes += used.getLong(1);
                }
            }
            return bytes;
        }
    }

    private RedisMessageStore redis(EmbeddedRedis redis) {
        PushSettings settings = new PushSettings(name -> Optional.ofNullable(Map.of(
                RedisSettings.SERVERS, "one=" + redis.uri(),
                PushSettings.STORE_CAP, Integer.toString(messages + 10)).get(name)));
        return new RedisMessageStore(settings);
    }

    private static long redisUsed(EmbeddedRedis redis) {
        try (Jedis jedis = redis.client()) {
            for (String line : jedis.info("memory").split("\r\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()));
                }
            }
        }
        throw new IllegalStateException("no used_memory in INFO memory");
    }

    private void append(List<Measure> measures) throws IOException {
        Path file = Path.of("benchmarks", "group-storage.md");
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file)) {
            text.append("# Group storage benchmark results\n\nProduced by `GroupStorageBenchmark` (see its javadoc for the")
                    .append(" command): the bytes a store holds for messages of about 1 KB saved for a group of keys")
                    .append(" at once against the same messages saved key by key. Newest last.\n");
        }
        text.append("\n## ").append(Instant.now()).append(" · ").append(messages).append(" messages × ").append(keys)
                .append(" keys\n\n| store | saved as | bytes held | bytes per message | per key | seconds |\n")
                .append("|---|---|---:|---:|---:|---:|\n");
        for (Measure m : measures) {
            text.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %.2f |%n", m.store(), m.layout(),
                    m.bytes(), m.bytes() / messages, m.bytes() / messages / keys, m.seconds()));
        }
        for (int i = 0; i + 1 < measures.size(); i += 2) {
            text.append(String.format(Locale.ROOT, "%n%s: a group message takes %.3f of %d copies.%n",
                    measures.get(i).store(), (double) measures.get(i).bytes() / measures.get(i + 1).bytes(), keys));
        }
        System.out.print(text);
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
