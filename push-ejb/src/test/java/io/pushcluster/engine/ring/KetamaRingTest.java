package io.pushcluster.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KetamaRingTest {

    private static final int KEYS = 30_000;

    private static String key(int i) {
        return "user-" + i;
    }

    private static Map<String, Integer> counts(KetamaRing ring, int keys) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            counts.merge(ring.nodeFor(key(i)), 1, Integer::sum);
        }
        return counts;
    }

    private static void assertShare(int count, int total, double min, double max, String what) {
        double share = (double) count / total;
        assertTrue(share >= min && share <= max, what + " share " + share + " not in [" + min + ", " + max + "]");
    }

    /** SHA-1 of the UTF-8 bytes, bytes 16..19 as a big-endian unsigned int, computed independently of the ring. */
    private static long referenceValue(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 16; i < 20; i++) {
            v = (v << 8) | (d[i] & 0xFF);
        }
        return v;
    }

    @Test
    void pointValueIsLastFourSha1BytesBigEndian() throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        // FIPS 180 test vectors: SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d,
        // SHA-1("") = da39a3ee 5e6b4b0d 3255bfef 95601890 afd80709.
        assertEquals(0x9cd0d89dL, KetamaRing.hash(sha1, "abc"));
        assertEquals(0xafd80709L, KetamaRing.hash(sha1, ""));
    }

    @Test
    void matchesBruteForceKetamaOverPointsNamedNodeColonIndex() throws Exception {
        Map<String, Integer> weights = Map.of("comet-a", 1, "comet-b", 2, "comet-c", 1);
        List<Long> refValues = new ArrayList<>();
        List<String> refOwners = new ArrayList<>();
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            for (int i = 1; i <= 255 * e.getValue(); i++) {
                refValues.add(referenceValue(e.getKey() + ":" + i));
                refOwners.add(e.getKey());
            }
        }
        KetamaRing ring = KetamaRing.of(weights);
        for (int k = 0; k < 2_000; k++) {
            String key = (k % 2 == 0 ? "user-" : "用户-") + k;
            long v = referenceValue(key);
            int atOrAfter = -1;
            int lowest = -1;
            for (int p = 0; p < refValues.size(); p++) {
                if (refValues.get(p) >= v && precedes(p, atOrAfter, refValues, refOwners)) {
                    atOrAfter = p;
                }
                if (precedes(p, lowest, refValues, refOwners)) {
                    lowest = p;
                }
            }
            String expected = refOwners.get(atOrAfter >= 0 ? atOrAfter : lowest);
            assertEquals(expected, ring.nodeFor(key), "owner of " + key);
        }
    }

    private static boolean precedes(int p, int q, List<Long> values, List<String> owners) {
        if (q < 0) {
            return true;
        }
        int byValue = Long.compare(values.get(p), values.get(q));
        return byValue < 0 || (byValue == 0 && owners.get(p).compareTo(owners.get(q)) < 0);
    }

    @Test
    void keyEqualToAPointNameLandsOnThatPoint() {
        KetamaRing ring = KetamaRing.of(Map.of("n", 1, "m", 2));
        assertEquals("n", ring.nodeFor("n:1"));
        assertEquals("n", ring.nodeFor("n:255"));
        assertEquals("m", ring.nodeFor("m:1"));
        assertEquals("m", ring.nodeFor("m:510"));
    }

    @Test
    void equalPointValuesAreOrderedByNodeName() throws Exception {
        // "node-188:143" and "node-196:2" hash to the same point value 0x8e03fc63.
        assertEquals(0x8e03fc63L, referenceValue("node-188:143"));
        assertEquals(0x8e03fc63L, referenceValue("node-196:2"));

        Map<String, Integer> forward = new LinkedHashMap<>();
        forward.put("node-188", 1);
        forward.put("node-196", 1);
        Map<String, Integer> reverse = new LinkedHashMap<>();
        reverse.put("node-196", 1);
        reverse.put("node-188", 1);

        for (Map<String, Integer> weights : List.of(forward, reverse)) {
            KetamaRing ring = KetamaRing.of(weights);
            assertEquals("node-188", ring.nodeFor("node-188:143"));
            assertEquals("node-188", ring.nodeFor("node-196:2"));
        }
    }

    @Test
    void sameWeightsInAnyInsertionOrderGiveSameOwners() {
        Map<String, Integer> forward = new LinkedHashMap<>();
        forward.put("comet-1", 1);
        forward.put("comet-2", 3);
        forward.put("comet-3", 2);
        forward.put("comet-4", 1);
        Map<String, Integer> reverse = new LinkedHashMap<>();
        reverse.put("comet-4", 1);
        reverse.put("comet-3", 2);
        reverse.put("comet-2", 3);
        reverse.put("comet-1", 1);

        KetamaRing a = KetamaRing.of(forward);
        KetamaRing b = KetamaRing.of(reverse);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String owner = a.nodeFor(key(i));
            assertEquals(owner, b.nodeFor(key(i)), key(i));
            seen.add(owner);
        }
        assertEquals(forward.keySet(), seen);
    }

    @Test
    void singleNodeOwnsEveryKey() {
        KetamaRing ring = KetamaRing.of(Map.of("only", 1));
        assertEquals(Map.of("only", 1_000), counts(ring, 1_000));
        assertEquals("only", ring.nodeFor(""));
    }

    @Test
    void equalNodesShareKeysRoughlyEvenly() {
        KetamaRing ring = KetamaRing.of(Map.of("comet-1", 1, "comet-2", 1, "comet-3", 1));
        Map<String, Integer> counts = counts(ring, KEYS);
        assertEquals(Set.of("comet-1", "comet-2", "comet-3"), counts.keySet());
        counts.forEach((node, count) -> assertShare(count, KEYS, 0.25, 0.42, node));
    }

    @Test
    void doubleWeightGetsRoughlyHalf() {
        KetamaRing ring = KetamaRing.of(Map.of("big", 2, "small-1", 1, "small-2", 1));
        assertShare(counts(ring, KEYS).get("big"), KEYS, 0.40, 0.60, "big");
    }

    @Test
    void addingANodeOnlyMovesKeysToIt() {
        KetamaRing before = KetamaRing.of(Map.of("comet-1", 1, "comet-2", 1, "comet-3", 1));
        KetamaRing after = KetamaRing.of(Map.of("comet-1", 1, "comet-2", 1, "comet-3", 1, "comet-4", 1));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            String was = before.nodeFor(key(i));
            String is = after.nodeFor(key(i));
            if (!was.equals(is)) {
                assertEquals("comet-4", is, key(i) + " moved from " + was);
                moved++;
            }
        }
        assertShare(moved, KEYS, 0.15, 0.35, "moved");
    }

    @Test
    void removingANodeOnlyMovesItsKeys() {
        KetamaRing before = KetamaRing.of(Map.of("comet-1", 1, "comet-2", 1, "comet-3", 1, "comet-4", 1));
        KetamaRing after = KetamaRing.of(Map.of("comet-1", 1, "comet-3", 1, "comet-4", 1));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            String was = before.nodeFor(key(i));
            String is = after.nodeFor(key(i));
            if (was.equals("comet-2")) {
                moved++;
            } else {
                assertEquals(was, is, key(i));
            }
        }
        assertShare(moved, KEYS, 0.15, 0.35, "moved");
    }

    @Test
    void invalidInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> KetamaRing.of(Map.of("a", 0)));
        assertThrows(IllegalArgumentException.class, () -> KetamaRing.of(Map.of("a", 1, "b", -3)));
        assertThrows(IllegalArgumentException.class, () -> KetamaRing.of(Map.of("", 1)));
        assertThrows(IllegalArgumentException.class, () -> KetamaRing.of(Map.of(" \t", 1)));
        Map<String, Integer> nullName = new HashMap<>();
        nullName.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> KetamaRing.of(nullName));
        Map<String, Integer> nullWeight = new HashMap<>();
        nullWeight.put("a", null);
        assertThrows(IllegalArgumentException.class, () -> KetamaRing.of(nullWeight));
    }

    @Test
    void emptyRingHasNoOwner() {
        KetamaRing ring = KetamaRing.of(Map.of());
        assertTrue(ring.isEmpty());
        assertTrue(ring.nodes().isEmpty());
        assertThrows(IllegalStateException.class, () -> ring.nodeFor("a"));
    }

    @Test
    void ringIsDetachedFromInputAndUnmodifiable() {
        Map<String, Integer> weights = new HashMap<>(Map.of("b", 1, "a", 2));
        KetamaRing ring = KetamaRing.of(weights);
        weights.put("c", 5);
        weights.put("a", 7);

        assertFalse(ring.isEmpty());
        assertEquals(List.of("a", "b"), List.copyOf(ring.nodes()));
        assertThrows(UnsupportedOperationException.class, () -> ring.nodes().add("c"));
    }

    /** The shares the dashboard shows are the parts of the keys each node gets: they sum to one and match a sample. */
    @Test
    void sharesAreThePartsOfTheKeysEachNodeOwns() {
        KetamaRing ring = KetamaRing.of(Map.of("a", 1, "b", 1, "c", 2));
        Map<String, Double> shares = ring.shares();
        assertEquals(1.0, shares.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        Map<String, Integer> counted = new HashMap<>();
        int keys = 200_000;
        for (int i = 0; i < keys; i++) {
            counted.merge(ring.nodeFor("share-" + i), 1, Integer::sum);
        }
        for (String node : List.of("a", "b", "c")) {
            assertEquals(shares.get(node), counted.get(node) / (double) keys, 0.01, node + ": " + shares);
        }
        assertTrue(shares.get("c") > 1.6 * shares.get("a"), "twice the weight, about twice the keys: " + shares);
    }
}
