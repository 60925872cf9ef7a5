package io.pushcluster.engine.ring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Immutable ketama consistent-hash ring, compatible with gopush-cluster's {@code ketama} package.
 *
 * <p>A node of weight {@code w} gets {@code 255 * w} points named {@code "<node>:<i>"} for
 * {@code i = 1..255*w}. A point's value, like a key's, is the last four bytes of the SHA-1 of its
 * UTF-8 bytes read as a big-endian unsigned 32-bit integer. A key belongs to the node owning the
 * first point at or after the key's value, wrapping around to the lowest point.
 *
 * <p>Points with equal values are ordered by node name, so every member builds the same ring from
 * the same weights regardless of map iteration order. Instances are safe to share between threads.
 */
public final class KetamaRing {

    public static final int POINTS_PER_WEIGHT = 255;
    /** One digest per thread, reused: a lookup runs on every push and subscribe. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(KetamaRing::newSha1);

    private final SortedMap<String, Integer> weights;
    private final String[] nodeNames;
    /** Unsigned 32-bit point values, ascending. */
    private final long[] points;
    /** {@code owners[i]} indexes {@link #nodeNames} for {@code points[i]}. */
    private final int[] owners;

    private KetamaRing(SortedMap<String, Integer> weights) {
        this.weights = Collections.unmodifiableSortedMap(weights);
        this.nodeNames = weights.keySet().toArray(new String[0]);

        int total = 0;
        for (int weight : weights.values()) {
            total = Math.addExact(total, Math.multiplyExact(weight, POINTS_PER_WEIGHT));
        }
        // Packing (value << 31 | node index) lets one primitive sort order by value, then by node
        // name, because node indexes follow the sorted names. A 31-bit shift keeps the packed
        // long positive, so the signed sort matches the unsigned order of the values.
        long[] packed = new long[total];
        MessageDigest sha1 = newSha1();
        int p = 0;
        for (int node = 0; node < nodeNames.length; node++) {
            int count = weights.get(nodeNames[node]) * POINTS_PER_WEIGHT;
            for (int i = 1; i <= count; i++) {
                packed[p++] = hash(sha1, nodeNames[node] + ":" + i) << 31 | node;
            }
        }
        Arrays.sort(packed);

        this.points = new long[total];
        this.owners = new int[total];
        for (int i = 0; i < total; i++) {
            points[i] = packed[i] >>> 31;
            owners[i] = (int) (packed[i] & Integer.MAX_VALUE);
        }
    }

    /**
     * Builds a ring from node name to weight.
     *
     * @throws IllegalArgumentException if a name is null or blank, or a weight is null or below 1
     */
    public static KetamaRing of(Map<String, Integer> weights) {
        Objects.requireNonNull(weights, "weights");
        TreeMap<String, Integer> sorted = new TreeMap<>();
        weights.forEach((node, weight) -> {
            if (node == null || node.isBlank()) {
                throw new IllegalArgumentException("node name must not be blank: '" + node + "'");
            }
            if (weight == null || weight < 1) {
                throw new IllegalArgumentException("weight of node '" + node + "' must be >= 1: " + weight);
            }
            sorted.put(node, weight);
        });
        return new KetamaRing(sorted);
    }

    /**
     * Returns the node owning {@code key}, hashed as UTF-8.
     *
     * @throws IllegalStateException if the ring has no nodes
     */
    public String nodeFor(String key) {
        Objects.requireNonNull(key, "key");
        if (isEmpty()) {
            throw new IllegalStateException("ketama ring has no nodes");
        }
        long value = hash(SHA1.get(), key);
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (points[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return nodeNames[owners[lo == points.length ? 0 : lo]];
    }

    public boolean isEmpty() {
        return nodeNames.length == 0;
    }

    /**
     * The share of all keys each node owns: the part of the hash space its points take (a point owns
     * the values after the point before it, the first also those after the last).
     */
    public Map<String, Double> shares() {
        double[] owned = new double[nodeNames.length];
        for (int i = 0; i < points.length; i++) {
            long from = i == 0 ? points[points.length - 1] - (1L << 32) : points[i - 1];
            owned[owners[i]] += points[i] - from;
        }
        Map<String, Double> shares = new TreeMap<>();
        for (int node = 0; node < nodeNames.length; node++) {
            shares.put(nodeNames[node], owned[node] / (1L << 32));
        }
        return shares;
    }

    /** Node names in ascending order; unmodifiable. */
    public Set<String> nodes() {
        return weights.keySet();
    }

    /** Last four bytes of the SHA-1 of {@code s} as UTF-8, big-endian, unsigned. */
    static long hash(MessageDigest sha1, String s) {
        byte[] d = sha1.digest(s.getBytes(StandardCharsets.UTF_8));
        return (d[16] & 0xFFL) << 24 | (d[17] & 0xFFL) << 16 | (d[18] & 0xFFL) << 8 | (d[19] & 0xFFL);
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }
}
