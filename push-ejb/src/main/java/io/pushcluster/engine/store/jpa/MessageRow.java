package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** One stored message of one key. */
@Entity
// The primary key's column order is the provider's choice (EclipseLink puts MID first), so the
// (key, mid) index every read, trim and delete goes through is declared explicitly.
@Table(name = MessageRow.TABLE, indexes = {
    @Index(name = "PUSH_MESSAGE_KEY_MID", columnList = "MSG_KEY, MID", unique = true),
    @Index(name = "PUSH_MESSAGE_EXPIRY", columnList = "EXPIRES_AT")})
@IdClass(MessageRow.RowId.class)
@NamedQueries({
    @NamedQuery(name = MessageRow.AFTER,
            query = "SELECT r FROM MessageRow r WHERE r.msgKey = :k AND r.mid > :mid AND r.expiresAt > :now"
                    + " ORDER BY r.mid DESC"),
    @NamedQuery(name = MessageRow.MIDS_NEWEST_FIRST,
            query = "SELECT r.mid FROM MessageRow r WHERE r.msgKey = :k ORDER BY r.mid DESC"),
    @NamedQuery(name = MessageRow.DELETE_MIDS,
            query = "DELETE FROM MessageRow r WHERE r.msgKey = :k AND r.mid IN :mids"),
    @NamedQuery(name = MessageRow.DELETE_KEY,
            query = "DELETE FROM MessageRow r WHERE r.msgKey = :k"),
    @NamedQuery(name = MessageRow.DELETE_EXPIRED,
            query = "DELETE FROM MessageRow r WHERE r.expiresAt <= :now"),
    @NamedQuery(name = MessageRow.MAX_MID,
            query = "SELECT MAX(r.mid) FROM MessageRow r")
})
public class MessageRow {

    static final String AFTER = "MessageRow.after";
    static final String MIDS_NEWEST_FIRST = "MessageRow.midsNewestFirst";
    static final String DELETE_MIDS = "MessageRow.deleteMids";
    static final String TABLE = "PUSH_MESSAGE";
    static final String KEY_COLUMN = "MSG_KEY";
    static final String MID_COLUMN = "MID";
    static final String DELETE_KEY = "MessageRow.deleteKey";
    static final String DELETE_EXPIRED = "MessageRow.deleteExpired";
    static final String MAX_MID = "MessageRow.maxMid";

    @Id
    @Column(name = "MSG_KEY", length = 255, nullable = false)
    private String msgKey;

    @Id
    @Column(name = "MID", nullable = false)
    private long mid;

    @Column(name = "GID", nullable = false)
    private int gid;

    @Lob
    @Column(name = "BODY", nullable = false)
    private String body;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    protected MessageRow() {
    }

    MessageRow(String key, StoredMessage message) {
        this.msgKey = key;
        this.mid = message.mid();
        this.gid = message.gid();
        this.body = message.message();
        this.expiresAt = message.expiresAtMillis();
    }

    StoredMessage toMessage() {
        return new StoredMessage(mid, gid, body, expiresAt);
    }

    /** The composite primary key: (key, mid). */
    public static class RowId implements Serializable {

        private static final long serialVersionUID = 1L;
        private String msgKey;
        private long mid;

        public RowId() {
        }


        @Override
        public boolean equals(Object other) {
            return other instanceof RowId id && mid == id.mid && Objects.equals(msgKey, id.msgKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(msgKey, mid);
        }
    }
}
