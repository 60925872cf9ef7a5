package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.Backend;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.StoreUnavailableException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Messages in a relational table. The paths every push and every fetch take run in plain JDBC on
 * the persistence unit's data source: saves go through {@link GroupedSaves}, which writes the saves
 * of concurrent callers in one local transaction per batch and returns only once a save's batch has
 * committed; reads run one select in autocommit. The purge runs in plain JDBC too, in short local
 * transactions of its own. The rarely run operations (delete, the largest mid) go through the
 * entity manager, delete in a JTA transaction. Failures surface as exceptions, which
 * {@link io.pushcluster.engine.push.Pushes} turns into a failed push.
 *
 * <p>A CDI bean, not an EJB: a session bean's container (invocation, security and transaction
 * bookkeeping, the request context) cost more per push than the database's own work (measured in
 * push-web/src/load/results.md); only delete needs a JTA transaction, and it gets it from
 * {@link Transactional}.
 *
 * <p>The cap: readers get at most the newest {@code cap} messages of a key, expiry judged among
 * those, so what they see is the same whether or not the older rows are deleted yet. Storage is kept
 * bounded by trimming a key in the batch of every {@link GroupedSaves#TRIM_EVERY}th save of it (see
 * {@link TrimSchedule}): a key holds at most {@code cap + TRIM_EVERY - 1} rows per instance that
 * saves to it (a restart forgets the counts; rows left behind go with the key's next trim or
 * expiry). A trim finds the rows beyond the key's newest {@code cap} through the (key, mid) index
 * and deletes exactly those, so no range is locked and concurrent pushes to one key do not deadlock
 * (InnoDB). Measured on H2 (push-ejb/benchmarks/store.md): trimming every key of every batch cost two
 * thirds of a save; every 8th save keeps most of the gain of not trimming at all. Trimming only in the
 * periodic purge would bound a key by its push rate times the purge interval instead of by a count.
 *
 * <p>The expiry index: a database server's table has an index on the expiry (the store creates it at
 * its first purge when missing), so that the purge reads only expired rows of a table that may hold
 * the messages of a whole cluster. An embedded database's table (H2 or Derby in a file or in memory,
 * one instance's own) has none: every trim deletes rows of random age from each index, and on H2 the
 * expiry index cost about 14 % of the stored-push rate with keys picked at random (results.md,
 * session 5), while walking such a table along its primary key once per purge interval is cheap. A
 * table that has the index anyway (made by an earlier build, or by the operator) is purged through it.
 */
@ApplicationScoped
@Backend("jpa")
public class JpaMessageStore implements MessageStore {

    private static final Logger LOG = Logger.getLogger(JpaMessageStore.class.getName());

    @PersistenceContext(unitName = "push")
    EntityManager em;

    @Inject
    PushSettings settings;

    @Inject
    GroupedSaves saves;

    /** The persistence unit's data source. */
    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    /** Whether this instance tried to create the expiry index already (it warns once when it cannot). */
    private volatile boolean indexCreationTried;

    @Override
    public void save(String key, StoredMessage message) {
        saves.save(List.of(key), message);
    }

    @Override
    public void saveForKeys(Collection<String> keys, StoredMessage message) {
        if (!keys.isEmpty()) {
            // a key named twice would break the primary key and fail every save of its batch
            saves.save(List.copyOf(new LinkedHashSet<>(keys)), message);
        }
    }

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
        try (Connection connection = dataSource.getConnection()) {
            return MessageTable.newestAfter(connection, key, afterMid, nowMillis, settings.storeCapOf(key));
        } catch (SQLException e) {
            throw new StoreUnavailableException("reading the messages of a key failed", e);
        }
    }

    /** The key's rows, and the references they held to shared bodies (a body left without any goes too). */
    @Override
    @Transactional
    public void delete(String key) {
        List<Object[]> bodies = em.createNamedQuery(MessageRow.BODIES_OF_KEY, Object[].class).setParameter("k", key)
                .getResultList();
        em.createNamedQuery(MessageRow.DELETE_KEY).setParameter("k", key).executeUpdate();
        for (Object[] body : bodies) {
            em.createNamedQuery(MessageBody.UNREF).setParameter("id", body[0])
                    .setParameter("n", ((Number) body[1]).intValue()).executeUpdate();
            em.createNamedQuery(MessageBody.DELETE_UNREFERENCED).setParameter("id", body[0]).executeUpdate();
        }
    }

    /**
     * Deletes in chunks, each in a short transaction of its own (see {@link MessageTable}), so it must
     * be called outside a JTA transaction, as the housekeeping timer does. Through the expiry index
     * where the table has one; a database server's table gets it at the first purge (see the class
     * comment), an embedded database's table is walked along its primary key instead. Then the
     * shared bodies that expired with the rows referring to them go, counted in none.
     */
    @Override
    public int purgeExpired(long nowMillis) {
        try (Connection connection = dataSource.getConnection()) {
            int purged = expiryIndexed(connection)
                    ? ExpiredRows.purgeThroughExpiryIndex(connection, nowMillis, ExpiredRows.PURGE_CHUNK)
                    : ExpiredRows.purgeAlongPrimaryKey(connection, nowMillis, ExpiredRows.PURGE_CHUNK);
            SharedBodies.purge(connection, nowMillis);
            return purged;
        } catch (SQLException e) {
            throw new StoreUnavailableException("purging expired messages failed", e);
        }
    }

    /** Whether the table has the expiry index, after creating it on a database server if missing. */
    private boolean expiryIndexed(Connection connection) throws SQLException {
        if (ExpiredRows.hasExpiryIndex(connection)) {
            return true;
        }
        if (indexCreationTried || instanceLocal(connection.getMetaData().getURL()).isPresent()) {
            return false;
        }
        indexCreationTried = true;
        try {
            ExpiredRows.createExpiryIndex(connection);
            LOG.info("created the index " + ExpiredRows.EXPIRY_INDEX + " for the purge of expired messages");
            return true;
        } catch (SQLException e) {
            // another instance may have created it at the same moment
            if (ExpiredRows.hasExpiryIndex(connection)) {
                return true;
            }
            LOG.log(Level.WARNING, "could not create the index " + ExpiredRows.EXPIRY_INDEX + "; each purge reads"
                    + " the whole table instead (create it: CREATE INDEX " + ExpiredRows.EXPIRY_INDEX
                    + " ON PUSH_MESSAGE (EXPIRES_AT))", e);
            return false;
        }
    }

    @Override
    public long maxMid() {
        Long max = em.createNamedQuery(MessageRow.MAX_MID, Long.class).getSingleResult();
        return max == null ? 0 : max;
    }

    /**
     * Waiting for a batch, then its statements: the store's time-out each, and up to a second more,
     * since JDBC counts statement time-outs in whole seconds.
     */
    @Override
    public long longestSaveMillis() {
        return 2L * settings.storeTimeoutMillis() + 1_000L;
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
