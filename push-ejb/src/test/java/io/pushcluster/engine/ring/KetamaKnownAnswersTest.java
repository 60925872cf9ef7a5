package io.pushcluster.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Owners that gopush-cluster's ketama ring gives (its package {@code ketama}: 255 points per unit of
 * weight named {@code node:i}, i from 1, a value the last four bytes of SHA-1 big-endian, the first
 * point at or after a key's value, wrapping). The vectors were computed apart from this code, by a
 * short script that follows that algorithm; a ring that disagrees would route clients of unchanged
 * SDKs and the comet nodes they ask to different members.
 */
class KetamaKnownAnswersTest {

    @ParameterizedTest
    @CsvSource({
        "'', 2950170377",
        "a, 930506680",
        "node1:1, 1056862739",
        "Terry-Mao, 3177378645"})
    void aValueIsTheLastFourBytesOfTheSha1(String text, long value) throws Exception {
        assertEquals(value, KetamaRing.hash(MessageDigest.getInstance("SHA-1"), text));
    }

    @ParameterizedTest
    @CsvSource({
        "Terry-Mao, node1", "alice, node2", "bob, node3", "carol, node3", "1, node1", "2, node3", "3, node3",
        "10, node3", "100, node3", "user:42, node2", "\u4e2d\u6587, node3",
        "key-with-a-rather-long-name-0123456789, node1",
        // hashes above the ring's last point, to the owner of its first
        "wrap-62, node2"})
    void threeNodesOfWeightOne(String key, String owner) {
        assertEquals(owner, KetamaRing.of(Map.of("node1", 1, "node2", 1, "node3", 1)).nodeFor(key));
    }

    @ParameterizedTest
    @CsvSource({
        "Terry-Mao, comet-c", "alice, comet-b", "bob, comet-c", "carol, comet-b", "1, comet-b", "2, comet-b",
        "3, comet-b", "10, comet-a", "100, comet-a", "user:42, comet-a", "\u4e2d\u6587, comet-c",
        "key-with-a-rather-long-name-0123456789, comet-b"})
    void nodesOfWeightsOneTwoAndThree(String key, String owner) {
        assertEquals(owner, KetamaRing.of(Map.of("comet-a", 1, "comet-b", 2, "comet-c", 3)).nodeFor(key));
    }
}
