package io.pushcluster.engine.store.redis;

/** The Lua scripts that make each write of the store one atomic round trip. */
final class StoreScripts {

    private StoreScripts() {
    }

    /** What {@link #SAVE} returns when it ran after its deadline and wrote nothing. */
    static final long LATE = -1;

    /**
     * Adds a message to a key and keeps the newest {@code cap}, unless Redis's clock is past the
     * deadline: a save that waited in Redis longer than the store waits for its answer (a server
     * paused, or busy with a slow command) writes nothing and returns {@value #LATE}, so that a push
     * answered as failed is never stored after all. The set's time to live grows to cover the
     * message, so that a key nobody pushes to any more disappears with its last message. KEYS: the
     * key's messages, the expiry index, the max mid. ARGV: mid, member, cap, time to live in ms (0 or
     * less: already expired, leave the set's alone), expiry ms, key, deadline in ms of Redis's clock.
     */
    static final LuaScript SAVE = new LuaScript("""
            local now = redis.call('TIME')
            if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[7]) then
              return -1
            end
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -1 - tonumber(ARGV[3]))
            local ttl = tonumber(ARGV[4])
            if ttl > 0 and redis.call('PTTL', KEYS[1]) < ttl then
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
            end
            local earliest = redis.call('ZSCORE', KEYS[2], ARGV[6])
            if not earliest or tonumber(earliest) > tonumber(ARGV[5]) then
              redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
            end
            local max = redis.call('GET', KEYS[3])
            if not max or tonumber(max) < tonumber(ARGV[1]) then
              redis.call('SET', KEYS[3], ARGV[1])
            end
            return 0
            """);

    /**
     * Removes a key's expired and unreadable messages and returns how many; rescores the key in the
     * expiry index by its earliest remaining expiry, or drops it from the index when none remain.
     * KEYS: the key's messages, the expiry index. ARGV: now in ms, key.
     */
    static final LuaScript PURGE_KEY = new LuaScript("""
            local now = tonumber(ARGV[1])
            local removed, earliest, earliestText = 0, nil, nil
            for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local text = string.match(member, '^[^:]*:[^:]*:([^:]*):')
              local expiry = tonumber(text)
              if expiry == nil or expiry <= now then
                redis.call('ZREM', KEYS[1], member)
                removed = removed + 1
              elseif earliest == nil or expiry < earliest then
                earliest, earliestText = expiry, text
              end
            end
            if earliest then
              redis.call('ZADD', KEYS[2], earliestText, ARGV[2])
            else
              redis.call('ZREM', KEYS[2], ARGV[2])
            end
            return removed
            """);
}
