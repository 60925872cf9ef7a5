package io.pushcluster.engine.store.jpa;

/** The store contract on the JPA store over a real MariaDB, started for the test on loopback. */
class JpaOnMariaDbTest extends JpaOnDatabaseTest {

    @Override
    protected EmbeddedDatabase startDatabase() {
        return EmbeddedDatabase.mariaDb();
    }
}
