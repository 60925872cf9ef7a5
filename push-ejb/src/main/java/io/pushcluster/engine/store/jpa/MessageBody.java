package io.pushcluster.engine.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The body of a message stored for several keys at once (a group or multi-key push), written once:
 * each key's row in {@link MessageRow} refers to it by {@code BODY_ID} instead of holding a copy.
 * {@code REFS} counts the rows that refer to it; a trim or a delete that removes such rows lowers it
 * and deletes the body at zero, and the purge deletes bodies that expired (a body expires with the
 * rows that refer to it). The entity defines the table; {@link SharedBodies} reads and writes it in
 * plain JDBC.
 */
@Entity
@NamedQueries({
    @NamedQuery(name = MessageBody.UNREF, query = "UPDATE MessageBody b SET b.refs = b.refs - :n WHERE b.id = :id"),
    @NamedQuery(name = MessageBody.DELETE_UNREFERENCED,
            query = "DELETE FROM MessageBody b WHERE b.id = :id AND b.refs <= 0")
})
@Table(name = MessageBody.TABLE, indexes = @Index(name = MessageBody.EXPIRY_INDEX, columnList = MessageBody.EXPIRES_COLUMN))
public class MessageBody {

    static final String TABLE = "PUSH_MESSAGE_BODY";
    static final String ID_COLUMN = "BODY_ID";
    static final String BODY_COLUMN = "BODY";
    static final String EXPIRES_COLUMN = "EXPIRES_AT";
    static final String REFS_COLUMN = "REFS";
    static final String EXPIRY_INDEX = "PUSH_MESSAGE_BODY_EXPIRY";
    static final String UNREF = "MessageBody.unref";
    static final String DELETE_UNREFERENCED = "MessageBody.deleteUnreferenced";

    @Id
    @Column(name = ID_COLUMN, nullable = false)
    private long id;

    @Lob
    @Column(name = BODY_COLUMN, nullable = false)
    private String body;

    @Column(name = EXPIRES_COLUMN, nullable = false)
    private long expiresAt;

    @Column(name = REFS_COLUMN, nullable = false)
    private int refs;

    protected MessageBody() {
    }
}
