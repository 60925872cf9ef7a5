package io.pushcluster.engine.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * One stored message of one key: its body in the row, or a reference to a {@link MessageBody} shared
 * by the keys of one multi-key or group push. The entity defines the table (the persistence unit creates it) and
 * the rarely run statements; {@link MessageTable} reads and writes the same columns in plain JDBC.
 */
@Entity
// The primary key (MSG_KEY, MID) is the index every read, trim and delete goes through. EclipseLink
// orders a composite key's columns by the names of the id attributes, so keyName must sort before
// mid (JpaOnDatabaseTest checks the order). Tables made by earlier builds have the key the other
// way round plus a unique index PUSH_MESSAGE_KEY_MID on (MSG_KEY, MID): they work unchanged, one
// index slower per write (JpaOnEarlierTableTest; the README says how to migrate them). The index on
// EXPIRES_AT is not declared here: the store creates it on a database server only (see JpaMessageStore).
@Table(name = MessageRow.TABLE)
@IdClass(MessageRow.RowId.class)
@NamedQueries({
    @NamedQuery(name = MessageRow.DELETE_KEY,
            query = "DELETE FROM MessageRow r WHERE r.keyName = :k"),
    @NamedQuery(name = MessageRow.BODIES_OF_KEY,
            query = "SELECT r.bodyId, COUNT(r) FROM MessageRow r WHERE r.keyName = :k AND r.bodyId IS NOT NULL"
                    + " GROUP BY r.bodyId ORDER BY r.bodyId"),
    @NamedQuery(name = MessageRow.MAX_MID,
            query = "SELECT MAX(r.mid) FROM MessageRow r")
})
public class MessageRow {

    static final String TABLE = "PUSH_MESSAGE";
    static final String KEY_COLUMN = "MSG_KEY";
    static final String MID_COLUMN = "MID";
    static final String GID_COLUMN = "GID";
    static final String BODY_COLUMN = "BODY";
    static final String EXPIRES_COLUMN = "EXPIRES_AT";
    static final String BODY_ID_COLUMN = "BODY_ID";
    static final String DELETE_KEY = "MessageRow.deleteKey";
    static final String MAX_MID = "MessageRow.maxMid";
    static final String BODIES_OF_KEY = "MessageRow.bodiesOfKey";

    @Id
    @Column(name = KEY_COLUMN, length = 255, nullable = false)
    private String keyName;

    @Id
    @Column(name = MID_COLUMN, nullable = false)
    private long mid;

    @Column(name = GID_COLUMN, nullable = false)
    private int gid;

    @Lob
    @Column(name = BODY_COLUMN, nullable = false)
    private String body;

    @Column(name = EXPIRES_COLUMN, nullable = false)
    private long expiresAt;

    /**
     * The shared body this row refers to ({@link MessageBody}), its own {@code BODY} then empty; null
     * for a row that holds its message itself. A table made by an earlier build gets the column when
     * the persistence unit starts (create-or-extend-tables).
     */
    @Column(name = BODY_ID_COLUMN)
    private Long bodyId;

    protected MessageRow() {
    }

    /** The composite primary key: (key, mid). */
    public static class RowId implements Serializable {

        private static final long serialVersionUID = 1L;
        private String keyName;
        private long mid;

        public RowId() {
        }


        @Override
        public boolean equals(Object other) {
            return other instanceof RowId id && mid == id.mid && Objects.equals(keyName, id.keyName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyName, mid);
        }
    }
}
