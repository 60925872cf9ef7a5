package io.pushcluster.engine.store.jpa;

import java.sql.SQLException;

/**
 * The store contract on a table in the layout earlier builds made (EclipseLink put MID first in the
 * primary key, so a unique index on (MSG_KEY, MID) served the reads): such tables keep working.
 */
class JpaOnEarlierTableTest extends JpaOnDatabaseTest {

    @Override
    protected EmbeddedDatabase startDatabase() {
        EmbeddedDatabase database = EmbeddedDatabase.h2("earlier-layout");
        try {
            database.execute("CREATE TABLE PUSH_MESSAGE (MID BIGINT NOT NULL, MSG_KEY VARCHAR(255) NOT NULL,"
                            + " BODY CLOB NOT NULL, EXPIRES_AT BIGINT NOT NULL, GID INTEGER NOT NULL,"
                            + " PRIMARY KEY (MID, MSG_KEY))",
                    "CREATE UNIQUE INDEX PUSH_MESSAGE_KEY_MID ON PUSH_MESSAGE (MSG_KEY, MID)",
                    "CREATE INDEX PUSH_MESSAGE_EXPIRY ON PUSH_MESSAGE (EXPIRES_AT)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return database;
    }

    @Override
    protected boolean tableInCurrentLayout() {
        return false;
    }
}
