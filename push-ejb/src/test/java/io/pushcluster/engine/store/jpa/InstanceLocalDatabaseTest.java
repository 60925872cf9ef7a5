package io.pushcluster.engine.store.jpa;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which JDBC URLs name a database only this instance can see. */
class InstanceLocalDatabaseTest {

    @Test
    void embeddedH2AndDerbyBelongToOneInstance() {
        for (String url : List.of("jdbc:h2:/opt/payara/domains/domain1/lib/databases/embedded_default;AUTO_SERVER=TRUE",
                "jdbc:h2:mem:push", "jdbc:h2:file:./data/push", "JDBC:H2:~/push", "jdbc:derby:memory:push;create=true")) {
            assertTrue(JpaMessageStore.instanceLocal(url).isPresent(), url);
        }
    }

    @Test
    void databaseServersAreShared() {
        for (String url : List.of("jdbc:h2:tcp://db.example:9092/push", "jdbc:h2:ssl://db.example/push",
                "jdbc:postgresql://127.0.0.1:5432/push", "jdbc:mariadb://127.0.0.1:3306/push",
                "jdbc:derby://db.example:1527/push")) {
            assertFalse(JpaMessageStore.instanceLocal(url).isPresent(), url);
        }
    }
}
