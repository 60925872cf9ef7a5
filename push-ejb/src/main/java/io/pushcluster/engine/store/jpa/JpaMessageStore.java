package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.Backend;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.StoreUnavailableException;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Messages in a relational table. Every method runs in a transaction of its own (or the caller's),
 * so a save has committed when it returns. Failures surface as EJB exceptions, which
 * {@link io.pushcluster.engine.push.PushServiceBean} turns into a failed push.
 *
 * <p>The cap is kept by finding the rows beyond each key's newest {@code cap} through the (key, mid)
 * index and deleting exactly those: no range is locked, so concurrent pushes to one key do not
 * deadlock (InnoDB).
 */
@Stateless
@Backend("jpa")
public class JpaMessageStore implements MessageStore {

    /** Rows one save trims per key: one in the steady state, more after the cap was lowered. */
    private static final int MAX_TRIMMED_PER_KEY = 1000;

    @PersistenceContext(unitName = "push")
    EntityManager em;

    @Inject
    PushSettings settings;

    /** The persistence unit's data source, asked for its URL only. */
    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

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
        for (String key : keys) {
            trim(key);
        }
    }

    private void trim(String key) {
        List<Long> beyondCap = em.createNamedQuery(MessageRow.MIDS_NEWEST_FIRST, Long.class)
                .setParameter("k", key)
                .setFirstResult(settings.storeCap())
                .setMaxResults(MAX_TRIMMED_PER_KEY)
                .getResultList();
        if (!beyondCap.isEmpty()) {
            // rows a concurrent push already deleted simply match nothing here
            em.createNamedQuery(MessageRow.DELETE_MIDS)
                    .setParameter("k", key)
                    .setParameter("mids", beyondCap)
                    .executeUpdate();
        }
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

    /** An H2 or Derby database opened from a file or memory belongs to one instance; a server URL does not. */
    @Override
    public Optional<String> instanceLocal() {
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database did not answer", e);
        }
        return instanceLocal(url);
    }

    static Optional<String> instanceLocal(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        boolean embeddedH2 = lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:tcp:")
                && !lower.startsWith("jdbc:h2:ssl:");
        boolean embeddedDerby = lower.startsWith("jdbc:derby:") && !lower.startsWith("jdbc:derby://");
        if (embeddedH2 || embeddedDerby) {
            return Optional.of("the JPA store uses this instance's own embedded database (" + url
                    + "); point jdbc/__default at a database server (see server-config/jdbc) or use push.store=redis");
        }
        return Optional.empty();
    }
}
