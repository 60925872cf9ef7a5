package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.Backend;
import io.pushcluster.engine.store.MessageStore;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Messages in a relational table. Every method runs in a transaction of its own (or the caller's),
 * so a save has committed when it returns. Failures surface as EJB exceptions, which
 * {@link io.pushcluster.engine.push.PushServiceBean} turns into a failed push.
 *
 * <p>The cap is kept by finding the rows beyond each key's newest {@code cap} and deleting exactly
 * those by primary key: no range is locked, so concurrent pushes to one key do not deadlock (InnoDB).
 */
@Stateless
@Backend("jpa")
public class JpaMessageStore implements MessageStore {

    /** Keys per statement when a multi-key push is trimmed, well below every database's parameter limit. */
    private static final int KEYS_PER_STATEMENT = 500;

    @PersistenceContext(unitName = "push")
    EntityManager em;

    @Inject
    PushSettings settings;

    @Override
    public void save(String key, StoredMessage message) {
        saveForKeys(List.of(key), message);
    }

    @Override
    public void saveForKeys(Collection<String> keys, StoredMessage message) {
        for (String key : keys) {
            em.persist(new MessageRow(key, message));
        }
        em.flush();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += KEYS_PER_STATEMENT) {
            trim(all.subList(from, Math.min(all.size(), from + KEYS_PER_STATEMENT)));
        }
        em.flush();
    }

    private void trim(List<String> keys) {
        StringBuilder sql = new StringBuilder("SELECT ").append(MessageRow.KEY_COLUMN).append(", ")
                .append(MessageRow.MID_COLUMN).append(" FROM (SELECT ").append(MessageRow.KEY_COLUMN).append(", ")
                .append(MessageRow.MID_COLUMN).append(", ROW_NUMBER() OVER (PARTITION BY ")
                .append(MessageRow.KEY_COLUMN).append(" ORDER BY ").append(MessageRow.MID_COLUMN)
                .append(" DESC) AS NEWEST FROM ").append(MessageRow.TABLE).append(" WHERE ")
                .append(MessageRow.KEY_COLUMN).append(" IN (")
                .append(String.join(", ", Collections.nCopies(keys.size(), "?")))
                .append(")) RANKED WHERE NEWEST > ?");
        Query beyondCap = em.createNativeQuery(sql.toString());
        for (int i = 0; i < keys.size(); i++) {
            beyondCap.setParameter(i + 1, keys.get(i));
        }
        beyondCap.setParameter(keys.size() + 1, settings.storeCap());
        List<?> doomed = beyondCap.getResultList();
        if (doomed.isEmpty()) {
            return;
        }
        // rows a concurrent push already deleted simply match nothing here
        String oneRow = "(" + MessageRow.KEY_COLUMN + " = ? AND " + MessageRow.MID_COLUMN + " = ?)";
        Query delete = em.createNativeQuery("DELETE FROM " + MessageRow.TABLE + " WHERE "
                + String.join(" OR ", Collections.nCopies(doomed.size(), oneRow)));
        int parameter = 1;
        for (Object row : doomed) {
            Object[] columns = (Object[]) row;
            delete.setParameter(parameter++, columns[0]);
            delete.setParameter(parameter++, ((Number) columns[1]).longValue());
        }
        delete.executeUpdate();
    }

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
        List<StoredMessage> newestFirst = new ArrayList<>(em.createNamedQuery(MessageRow.AFTER, MessageRow.class)
                .setParameter("k", key)
                .setParameter("mid", afterMid)
                .setParameter("now", nowMillis)
                .setMaxResults(settings.storeCap())
                .getResultList().stream()
                .map(MessageRow::toMessage)
                .toList());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Override
    public void delete(String key) {
        em.createNamedQuery(MessageRow.DELETE_KEY).setParameter("k", key).executeUpdate();
    }

    @Override
    public int purgeExpired(long nowMillis) {
        return em.createNamedQuery(MessageRow.DELETE_EXPIRED).setParameter("now", nowMillis).executeUpdate();
    }

    @Override
    public long maxMid() {
        Long max = em.createNamedQuery(MessageRow.MAX_MID, Long.class).getSingleResult();
        return max == null ? 0 : max;
    }

    @Override
    public void check() {
        em.createNamedQuery(MessageRow.MAX_MID, Long.class).setMaxResults(1).getResultList();
    }
}
