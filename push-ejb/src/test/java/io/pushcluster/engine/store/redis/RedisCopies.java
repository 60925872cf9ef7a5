package io.pushcluster.engine.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Counts, on a Redis server, the places a message's text is stored: members holding it, and shared bodies. */
final class RedisCopies {

    private RedisCopies() {
    }

    static long of(EmbeddedRedis server, String text) {
        long copies = 0;
        try (Jedis jedis = server.client()) {
            byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
            do {
                ScanResult<byte[]> page = jedis.scan(cursor, new ScanParams().count(1_000));
                for (byte[] key : page.getResult()) {
                    String type = jedis.type(key);
                    if (type.equals("zset")) {
                        for (byte[] member : jedis.zrange(key, 0, -1)) {
                            copies += MessageMember.parse(member).filter(m -> m.message().equals(text)).isPresent() ? 1 : 0;
                        }
                    } else if (type.equals("hash")) {
                        Optional<byte[]> body = Optional.ofNullable(jedis.hget(key, new byte[] {'b'}));
                        copies += body.filter(b -> new String(b, StandardCharsets.UTF_8).equals(text)).isPresent() ? 1 : 0;
                    }
                }
                cursor = page.getCursorAsBytes();
            } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
        }
        return copies;
    }
}
