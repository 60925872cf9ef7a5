package io.pushcluster.engine.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1 (EVALSHA), sent whole only when the server does not know it yet
 * (after a restart or SCRIPT FLUSH).
 */
final class LuaScript {

    /** One run of the script: its KEYS and ARGV. */
    record Call(List<byte[]> keys, List<byte[]> args) {
    }

    private final byte[] source;
    private final byte[] sha;

    LuaScript(String source) {
        this.source = source.getBytes(StandardCharsets.UTF_8);
        this.sha = sha1Hex(this.source);
    }

    Object run(Jedis jedis, Call call) {
        try {
            return jedis.evalsha(sha, call.keys(), call.args());
        } catch (JedisNoScriptException e) {
            return jedis.eval(source, call.keys(), call.args());
        }
    }

    /** Runs every call in one pipeline (and a second one for calls the server lacked the script for). */
    List<Object> runAll(Jedis jedis, List<Call> calls) {
        List<Object> results = new ArrayList<>(calls.size());
        List<Integer> unknownScript = new ArrayList<>();
        List<Response<Object>> responses = pipelined(jedis, calls);
        for (int i = 0; i < responses.size(); i++) {
            try {
                results.add(responses.get(i).get());
            } catch (JedisNoScriptException e) {
                results.add(null);
                unknownScript.add(i);
            }
        }
        if (!unknownScript.isEmpty()) {
            jedis.scriptLoad(source);
            List<Response<Object>> retried = pipelined(jedis, unknownScript.stream().map(calls::get).toList());
            for (int i = 0; i < retried.size(); i++) {
                results.set(unknownScript.get(i), retried.get(i).get());
            }
        }
        return results;
    }

    private List<Response<Object>> pipelined(Jedis jedis, List<Call> calls) {
        List<Response<Object>> responses = new ArrayList<>(calls.size());
        try (Pipeline pipeline = jedis.pipelined()) {
            for (Call call : calls) {
                responses.add(pipeline.evalsha(sha, call.keys(), call.args()));
            }
            pipeline.sync();
        }
        return responses;
    }

    private static byte[] sha1Hex(byte[] source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source);
            return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }
}
