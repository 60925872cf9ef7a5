package io.pushcluster.engine.store.redis;

/** The Lua scripts that make each write of the store one atomic round trip. */
final class StoreScripts {

    private StoreScripts() {
    }

    /** What {@link #SAVE} returns when it ran after its deadline and wrote nothing. */
    static final long LATE = -1;

    /**
     * Lua functions the scripts share. {@code unref}: a member that refers to a shared body
     * ({@code <mid>:<gid>:<expiry>:@<body id>}, see {@link MessageMember}) is going: the body's count
     * of references drops, and the body goes at zero. {@code trim}: keeps a set's newest {@code cap}
     * members, unreferencing what it drops. Bodies are named by the prefix passed in ARGV, so the
     * scripts touch keys they are not given in KEYS: fine on the plain servers this store shards over
     * itself, not on a Redis Cluster.
     */
    private static final String SHARED = """
            local function unref(prefix, member)
              local id = string.match(member, '^[^:]*:[^:]*:[^:]*:@(.+)$')
              if id then
                local body = prefix .. id
                if redis.call('EXISTS', body) == 1 and redis.call('HINCRBY', body, 'r', -1) <= 0 then
                  redis.call('DEL', body)
                end
              end
            end
            local function trim(set, cap, prefix)
              for _, member in ipairs(redis.call('ZRANGE', set, 0, -1 - cap)) do
                unref(prefix, member)
              end
              redis.call('ZREMRANGEBYRANK', set, 0, -1 - cap)
            end
            local function late(deadline)
              local now = redis.call('TIME')
              return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(deadline)
            end
            local function keep(set, ttl, index, expiry, key)
              if ttl > 0 and redis.call('PTTL', set) < ttl then
                redis.call('PEXPIRE', set, ttl)
              end
              local earliest = redis.call('ZSCORE', index, key)
              if not earliest or tonumber(earliest) > tonumber(expiry) then
                redis.call('ZADD', index, expiry, key)
              end
            end
            local function raise(maxMid, mid)
              local max = redis.call('GET', maxMid)
              if not max or tonumber(max) < tonumber(mid) then
                redis.call('SET', maxMid, mid)
              end
            end
            """;

    /**
     * Adds a message to a key and keeps the newest {@code cap}, unless Redis's clock is past the
     * deadline: a save that waited in Redis longer than the store waits for its answer (a server
     * paused, or busy with a slow command) writes nothing and returns {@value #LATE}, so that a push
     * answered as failed is never stored after all. The set's time to live grows to cover the
     * message, so that a key nobody pushes to any more disappears with its last message. KEYS: the
     * key's messages, the expiry index, the max mid. ARGV: mid, member, cap, time to live in ms (0 or
     * less: already expired, leave the set's alone), expiry ms, key, deadline in ms of Redis's clock,
     * the bodies' prefix.
     */
    static final LuaScript SAVE = new LuaScript(SHARED + """
            if late(ARGV[7]) then
              return -1
            end
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            trim(KEYS[1], tonumber(ARGV[3]), ARGV[8])
            keep(KEYS[1], tonumber(ARGV[4]), KEYS[2], ARGV[5], ARGV[6])
            raise(KEYS[3], ARGV[1])
            return 0
            """);

    /**
     * Stores one message for several keys of this server with its body once: a hash (field
     * {@code b} the message, {@code r} the count of members referring to it) that lives as long as
     * the message, and in each key's set a member referring to it; then trims and keeps each set as
     * {@link #SAVE} does, with the same deadline. A member already there (the same save run again)
     * is not counted twice. KEYS: the body, the expiry index, the max mid, then each key's set.
     * ARGV: mid, the referring member, the message, time to live in ms, expiry ms, deadline, the
     * bodies' prefix, then per key its cap and its name.
     */
    static final LuaScript SAVE_SHARED = new LuaScript(SHARED + """
            if late(ARGV[6]) then
              return -1
            end
            local added = 0
            for i = 4, #KEYS do
              added = added + redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2])
            end
            local ttl = tonumber(ARGV[4])
            if added > 0 then
              redis.call('HSET', KEYS[1], 'b', ARGV[3])
              redis.call('HINCRBY', KEYS[1], 'r', added)
            end
            if ttl > 0 and redis.call('PTTL', KEYS[1]) < ttl then
              redis.call('PEXPIRE', KEYS[1], ttl)
            end
            for i = 4, #KEYS do
              local a = 8 + (i - 4) * 2
              trim(KEYS[i], tonumber(ARGV[a]), ARGV[7])
              keep(KEYS[i], ttl, KEYS[2], ARGV[5], ARGV[a + 1])
            end
            raise(KEYS[3], ARGV[1])
            return 0
            """);

    /** Deletes a key's set, unreferencing the bodies its members refer to. KEYS: the set. ARGV: the bodies' prefix. */
    static final LuaScript DELETE_KEY = new LuaScript(SHARED + """
            for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              unref(ARGV[1], member)
            end
            return redis.call('DEL', KEYS[1])
            """);

    /**
     * Removes a key's expired and unreadable messages and returns how many; rescores the key in the
     * expiry index by its earliest remaining expiry, or drops it from the index when none remain.
     * KEYS: the key's messages, the expiry index. ARGV: now in ms, key, the bodies' prefix.
     */
    static final LuaScript PURGE_KEY = new LuaScript(SHARED + """
            local now = tonumber(ARGV[1])
            local removed, earliest, earliestText = 0, nil, nil
            for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local text = string.match(member, '^[^:]*:[^:]*:([^:]*):')
              local expiry = tonumber(text)
              if expiry == nil or expiry <= now then
                unref(ARGV[3], member)
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
