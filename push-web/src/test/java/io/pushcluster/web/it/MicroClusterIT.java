package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushcluster.engine.store.redis.EmbeddedRedis;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two real Payara Micro processes with the WAR form one Hazelcast data grid on loopback and share one
 * Redis store: a message pushed through one member is fetched through the other. A member killed with
 * SIGKILL leaves the data grid, and the other keeps serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MicroClusterIT {

    private static final EmbeddedRedis REDIS = EmbeddedRedis.start();
    private static final String KEY = "cluster-" + System.nanoTime();

    @RegisterExtension
    static final MicroCluster CLUSTER = MicroCluster.of(2)
            .with("push.store", "redis")
            .with("push.redis.servers", "it=" + REDIS.uri());

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    @Order(1)
    void everyMemberAnswersAndSeesBoth() {
        for (MicroMember member : CLUSTER.members()) {
            assertEquals(0, member.http().get("/1/time/get").ret(), member.name());
            assertEquals(2, member.dataGridSize().orElse(0), member + " logged a data grid of both");
        }
        MicroMember first = CLUSTER.member("m1");
        MicroMember second = CLUSTER.member("m2");
        assertTrue(first.log().contains("Address: /127.0.0.1:" + second.hazelcastPort()), "m1 names m2's Hazelcast address");
        assertTrue(second.log().contains("Address: /127.0.0.1:" + first.hazelcastPort()), "m2 names m1's Hazelcast address");
    }

    @Test
    @Order(2)
    void aMessagePushedThroughOneMemberIsFetchedThroughTheOther() {
        CLUSTER.member("m1").http().push(KEY, "{\"through\":\"m1\"}", 60);
        assertEquals(List.of("m1"), storedThroughValues(CLUSTER.member("m2").http()));
    }

    @Test
    @Order(3)
    void aKilledMemberLeavesTheDataGridAndTheOtherKeepsServing() {
        MicroMember survivor = CLUSTER.member("m1");
        MicroMember victim = CLUSTER.member("m2");
        long start = System.nanoTime();
        assertEquals(137, victim.kill(), "exit status of SIGKILL (128 + 9)");
        CLUSTER.awaitSize(1);
        Duration detection = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("m2 killed: m1 logged a data grid of one %d ms after the SIGKILL (heartbeat timeout %d s)%n",
                detection.toMillis(), MicroCluster.NO_HEARTBEAT_SECONDS);
        assertTrue(detection.compareTo(Duration.ofSeconds(MicroCluster.NO_HEARTBEAT_SECONDS + 5)) < 0,
                "noticed within the heartbeat timeout and a margin: " + detection);
        assertEquals(1, survivor.membersRemoved(), "m1 logged m2's removal");
        assertEquals(0, survivor.http().get("/1/time/get").ret());
        assertEquals(List.of("m1"), storedThroughValues(survivor.http()));
    }

    private static List<String> storedThroughValues(Http http) {
        JsonObject reply = http.get("/1/msg/get?k=" + KEY + "&m=0").json();
        assertEquals(0, reply.getInt("ret"), reply.toString());
        JsonArray msgs = reply.getJsonObject("data").getJsonArray("msgs");
        return msgs.stream().map(m -> m.asJsonObject().getJsonObject("msg").getString("through")).toList();
    }
}
