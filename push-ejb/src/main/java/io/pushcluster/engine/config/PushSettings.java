package io.pushcluster.engine.config;

import io.pushcluster.engine.message.PublicStream;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The engine's settings, with their defaults: subscribers, the store, limits, admin access, this
 * member's name and weight; the Redis store's in {@link RedisSettings}. The listeners' settings belong
 * to the web tier. Property names are documented in the README; they can be given as system
 * properties, environment variables (PUSH_HEARTBEAT_MIN, ...) or any other MicroProfile Config source.
 */
public final class PushSettings {

    public static final String HEARTBEAT_MIN = "push.heartbeat.min";
    public static final String HEARTBEAT_GRACE = "push.heartbeat.grace";
    public static final String SUBSCRIBERS_PER_KEY = "push.subscribers.per-key";
    public static final String SUBSCRIBERS_ON_EXCESS = "push.subscribers.on-excess";
    public static final String CLIENT_FRAMES_PER_SECOND = "push.limit.client-frames-per-second";
    public static final String BANS = "push.limit.bans";
    public static final String DENIED_ADDRESSES = "push.limit.ip-deny-entries";
    public static final String SEND_QUEUE = "push.send-queue";
    public static final String STORE = "push.store";
    public static final String STORE_CAP = "push.store.cap";
    public static final String PUBLIC_CAP = "push.store.public-cap";
    public static final String PURGE_INTERVAL = "push.store.purge-interval";
    public static final String STORE_TIMEOUT_MS = "push.store.timeout-ms";
    public static final String IDEMPOTENCY_WINDOW = "push.idempotency.window";
    public static final String IDEMPOTENCY_KEY_MAX_LENGTH = "push.limit.idempotency-key-length";
    public static final String AUTH = "push.auth";
    public static final String ADMIN_CREDENTIAL = "push.admin.credential";
    public static final String KEY_MAX_LENGTH = "push.limit.key-length";
    public static final String MESSAGE_MAX_BYTES = "push.limit.message-bytes";
    public static final String MULTI_MAX_KEYS = "push.limit.multi-keys";
    public static final String TOKEN_MAX_LENGTH = "push.limit.token-length";
    public static final String TOKENS_PER_KEY = "push.limit.tokens-per-key";
    public static final String GROUP_NAME_MAX_LENGTH = "push.limit.group-name-length";
    public static final String GROUP_KEYS = "push.limit.group-keys";
    public static final String GROUPS_PER_KEY = "push.limit.groups-per-key";
    public static final String NODE_NAME = "push.node.name";
    public static final String NODE_WEIGHT = "push.node.weight";
    /** Set by Payara (its server properties config source): the instance's name. */
    public static final String PAYARA_INSTANCE_NAME = "payara.instance.name";

    private final SettingsReader reader;

    private final int heartbeatMin;
    private final int heartbeatGrace;
    private final int subscribersPerKey;
    private final boolean kickOldest;
    private final int clientFramesPerSecond;
    private final int bans;
    private final int deniedAddresses;
    private final int sendQueue;
    private final String store;
    private final int storeCap;
    private final int publicCap;
    private final int storeTimeoutMillis;
    private final int idempotencyWindowSeconds;
    private final int idempotencyKeyMaxLength;
    private final int purgeIntervalSeconds;
    private final boolean auth;
    private final Optional<String> adminCredential;
    private final int keyMaxLength;
    private final int messageMaxBytes;
    private final int multiMaxKeys;
    private final int tokenMaxLength;
    private final int tokensPerKey;
    private final int groupNameMaxLength;
    private final int groupKeys;
    private final int groupsPerKey;
    private final String nodeName;
    private final int nodeWeight;
    private final RedisSettings redis;

    /** @param lookup the raw value of a property, empty when it is not set */
    public PushSettings(Function<String, Optional<String>> lookup) {
        reader = new SettingsReader(lookup);
        heartbeatMin = reader.positive(HEARTBEAT_MIN, 30);
        heartbeatGrace = reader.atLeast(HEARTBEAT_GRACE, 5, 0);
        subscribersPerKey = reader.positive(SUBSCRIBERS_PER_KEY, 64);
        kickOldest = switch (reader.text(SUBSCRIBERS_ON_EXCESS, "refuse")) {
            case "refuse" -> false;
            case "kick-oldest" -> true;
            default -> throw new IllegalArgumentException(SUBSCRIBERS_ON_EXCESS + " must be refuse or kick-oldest, not '"
                    + reader.raw(SUBSCRIBERS_ON_EXCESS).orElse("") + "'");
        };
        clientFramesPerSecond = reader.atLeast(CLIENT_FRAMES_PER_SECOND, 20, 0);
        bans = reader.positive(BANS, 100_000);
        deniedAddresses = reader.positive(DENIED_ADDRESSES, 10_000);
        sendQueue = reader.positive(SEND_QUEUE, 30);
        store = reader.text(STORE, "jpa");
        storeCap = reader.positive(STORE_CAP, 20);
        publicCap = reader.positive(PUBLIC_CAP, 100);
        purgeIntervalSeconds = reader.positive(PURGE_INTERVAL, 60);
        storeTimeoutMillis = reader.positive(STORE_TIMEOUT_MS, 2000);
        idempotencyWindowSeconds = reader.positive(IDEMPOTENCY_WINDOW, 600);
        idempotencyKeyMaxLength = reader.positive(IDEMPOTENCY_KEY_MAX_LENGTH, 256);
        auth = reader.flag(AUTH, false);
        adminCredential = reader.raw(ADMIN_CREDENTIAL);
        reader.note(ADMIN_CREDENTIAL, adminCredential.isPresent() ? "(set)" : "(none: loopback only)");
        keyMaxLength = reader.positive(KEY_MAX_LENGTH, 128);
        messageMaxBytes = reader.positive(MESSAGE_MAX_BYTES, 32 * 1024);
        multiMaxKeys = reader.positive(MULTI_MAX_KEYS, 1000);
        tokenMaxLength = reader.positive(TOKEN_MAX_LENGTH, 256);
        tokensPerKey = reader.positive(TOKENS_PER_KEY, 16);
        groupNameMaxLength = reader.positive(GROUP_NAME_MAX_LENGTH, 128);
        groupKeys = reader.positive(GROUP_KEYS, 1000);
        groupsPerKey = reader.positive(GROUPS_PER_KEY, 32);
        nodeName = reader.text(NODE_NAME, reader.raw(PAYARA_INSTANCE_NAME).orElse("node-1"));
        nodeWeight = reader.positive(NODE_WEIGHT, 1);
        redis = new RedisSettings(reader);
    }

    /** Minimum heartbeat a subscriber may ask for, in seconds. */
    public int heartbeatMin() {
        return heartbeatMin;
    }

    /** Seconds added to a subscriber's heartbeat before a silent connection is closed. */
    public int heartbeatGrace() {
        return heartbeatGrace;
    }

    /** Connections one key may hold (gopush-cluster's maxsubscriber). */
    public int subscribersPerKey() {
        return subscribersPerKey;
    }

    /**
     * What a subscribe to a key that holds {@link #subscribersPerKey} connections does: false, it is
     * refused; true, the key's oldest connection is kicked to make room.
     */
    public boolean kickOldest() {
        return kickOldest;
    }

    /** Frames a subscriber may send within a second before it is closed; 0 for no limit. */
    public int clientFramesPerSecond() {
        return clientFramesPerSecond;
    }

    /** Keys the cluster may hold banned at once. */
    public int bans() {
        return bans;
    }

    /** Address entries the cluster may hold denied at run time. */
    public int deniedAddresses() {
        return deniedAddresses;
    }

    /** Frames a connection may have waiting to be written before it is closed as too slow (msgbuf). */
    public int sendQueue() {
        return sendQueue;
    }

    /** The message store backend: {@code jpa}, {@code redis} or {@code memory}. */
    public String store() {
        return store;
    }

    /** Stored messages kept per key; the newest are kept. */
    public int storeCap() {
        return storeCap;
    }

    /** Stored messages kept for a key: {@code push.store.public-cap} for the public stream's. */
    public int storeCapOf(String key) {
        return PublicStream.KEY.equals(key) ? publicCap : storeCap;
    }

    /**
     * How long a save of the JPA store may wait for its batch (one still waiting then fails unwritten),
     * and how long a batch's statements may take.
     */
    public int storeTimeoutMillis() {
        return storeTimeoutMillis;
    }

    /** How long a push's idempotency key is remembered, in seconds. */
    public int idempotencyWindowSeconds() {
        return idempotencyWindowSeconds;
    }

    public int idempotencyKeyMaxLength() {
        return idempotencyKeyMaxLength;
    }

    public int purgeIntervalSeconds() {
        return purgeIntervalSeconds;
    }

    /** Whether subscribers must present a registered token. */
    public boolean auth() {
        return auth;
    }

    /** The credential admin callers must present; empty means admin endpoints answer loopback only. */
    public Optional<String> adminCredential() {
        return adminCredential;
    }

    public int keyMaxLength() {
        return keyMaxLength;
    }

    /** Whether a subscriber key may be used: present, not empty, at most {@code push.limit.key-length}. */
    public boolean acceptsKey(String key) {
        return key != null && !key.isEmpty() && key.length() <= keyMaxLength;
    }

    /** Whether a token may be used: present, not empty, at most {@code push.limit.token-length}. */
    public boolean acceptsToken(String token) {
        return token != null && !token.isEmpty() && token.length() <= tokenMaxLength;
    }

    public int messageMaxBytes() {
        return messageMaxBytes;
    }

    public int multiMaxKeys() {
        return multiMaxKeys;
    }

    public int tokenMaxLength() {
        return tokenMaxLength;
    }

    public int tokensPerKey() {
        return tokensPerKey;
    }

    public int groupNameMaxLength() {
        return groupNameMaxLength;
    }

    /** Keys one group may hold. */
    public int groupKeys() {
        return groupKeys;
    }

    /** Groups one key may be in. */
    public int groupsPerKey() {
        return groupsPerKey;
    }

    /** This member's name on the ring: the setting, else Payara's instance name, else node-1. */
    public String nodeName() {
        return nodeName;
    }

    public int nodeWeight() {
        return nodeWeight;
    }

    /** The settings of the {@code redis} store. */
    public RedisSettings redis() {
        return redis;
    }

    /** Every engine setting with the value in force, the admin credential and Redis passwords masked. */
    public Map<String, String> effective() {
        return reader.effective();
    }
}
