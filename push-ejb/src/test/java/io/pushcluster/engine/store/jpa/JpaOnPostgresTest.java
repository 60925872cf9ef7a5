package io.pushcluster.engine.store.jpa;

/** The store contract on the JPA store over a real PostgreSQL, started for the test on loopback. */
class JpaOnPostgresTest extends JpaOnDatabaseTest {

    @Override
    protected EmbeddedDatabase startDatabase() {
        return EmbeddedDatabase.postgres();
    }
}
