package io.pushcluster.engine.store.jpa;

/** The store contract on the JPA store over H2, the default database of Payara. */
class JpaOnH2Test extends JpaOnDatabaseTest {

    @Override
    protected EmbeddedDatabase startDatabase() {
        return EmbeddedDatabase.h2();
    }
}
