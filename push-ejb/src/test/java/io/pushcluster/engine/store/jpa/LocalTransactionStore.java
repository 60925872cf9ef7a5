package io.pushcluster.engine.store.jpa;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.TransientFailures;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The real {@link JpaMessageStore} and persistence unit, run in Java SE and wired as the container
 * wires them: one pooled data source shared by the persistence unit and the store, one
 * {@link GroupedSaves} shared by every call, and per call an entity manager of its own, with a
 * resource-local transaction where the EJB's method has a JTA one ({@code REQUIRED}) and none where
 * it runs outside transactions ({@code NOT_SUPPORTED}).
 */
public final class LocalTransactionStore implements MessageStore, AutoCloseable {

    private final HikariDataSource dataSource;
    private final EntityManagerFactory factory;
    private final PushSettings settings;
    /** {@code push.store.timeout-ms} of every such store. */
    static final long TIMEOUT_MILLIS = 1_000;

    private final GroupedSaves saves;

    public LocalTransactionStore(String jdbcUrl, String user, String password, int cap) {
        this(jdbcUrl, user, password, cap, cap);
    }

    public LocalTransactionStore(String jdbcUrl, String user, String password, int cap, int publicCap) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(8);
        dataSource = new HikariDataSource(pool);
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("jakarta.persistence.jtaDataSource", "");
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("eclipselink.target-server", "None");
        factory = Persistence.createEntityManagerFactory("push", properties);
        // as Payara deploys the unit, creating its table, when the application starts
        factory.createEntityManager().close();
        settings = new PushSettings(name -> switch (name) {
            case PushSettings.STORE_CAP -> Optional.of(Integer.toString(cap));
            case PushSettings.PUBLIC_CAP -> Optional.of(Integer.toString(publicCap));
            case PushSettings.STORE_TIMEOUT_MS -> Optional.of(Long.toString(TIMEOUT_MILLIS));
            default -> Optional.empty();
        });
        saves = new GroupedSaves();
        saves.dataSource = dataSource;
        saves.settings = settings;
        saves.start();
    }

    /** Deletes every stored message, for a test that needs an empty store. */
    public LocalTransactionStore emptied() {
        inTransaction(store -> store.em.createQuery("DELETE FROM MessageRow r").executeUpdate()
                + store.em.createQuery("DELETE FROM MessageBody b").executeUpdate());
        return this;
    }

    /**
     * Closes the database connection the saves hold underneath the pool's handle, as a database
     * restart or an idle timeout would; false when no connection is held. The pool is told to drop
     * the connection once it is given back, as Payara's pool does with a connection aborted through
     * its handle (HikariCP does not look at abort).
     */
    public boolean breakHeldConnection() throws SQLException {
        BatchWriter writer = saves.held();
        if (writer == null) {
            return false;
        }
        writer.connection().unwrap(Connection.class).close();
        dataSource.evictConnection(writer.connection());
        return true;
    }

    /** The connection the saves hold, to tell whether a later save kept it. */
    public Object heldConnection() {
        return saves.held();
    }

    /** The rows the table holds for the key, whether a trim is due or not. */
    public long storedRows(String key) {
        return withEntityManager(store -> store.em
                .createQuery("SELECT COUNT(r) FROM MessageRow r WHERE r.keyName = :k", Long.class)
                .setParameter("k", key).getSingleResult());
    }

    private <T> T inTransaction(Function<JpaMessageStore, T> work) {
        return withEntityManager(store -> {
            store.em.getTransaction().begin();
            try {
                T result = work.apply(store);
                store.em.getTransaction().commit();
                return result;
            } finally {
                if (store.em.getTransaction().isActive()) {
                    store.em.getTransaction().rollback();
                }
            }
        });
    }

    private <T> T withEntityManager(Function<JpaMessageStore, T> work) {
        EntityManager em = factory.createEntityManager();
        JpaMessageStore store = new JpaMessageStore();
        store.em = em;
        store.settings = settings;
        store.saves = saves;
        store.dataSource = dataSource;
        try {
            return work.apply(store);
        } finally {
            em.close();
        }
    }

    @Override
    public void save(String key, StoredMessage message) {
        // as Pushes calls the store: a transaction lost to a deadlock is run again
        TransientFailures.retry(() -> withEntityManager(store -> {
            store.save(key, message);
            return null;
        }));
    }

    @Override
    public void saveForKeys(Collection<String> keys, StoredMessage message) {
        TransientFailures.retry(() -> withEntityManager(store -> {
            store.saveForKeys(keys, message);
            return null;
        }));
    }

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
        return withEntityManager(store -> store.messagesAfter(key, afterMid, nowMillis));
    }

    @Override
    public void delete(String key) {
        inTransaction(store -> {
            store.delete(key);
            return null;
        });
    }

    @Override
    public int purgeExpired(long nowMillis) {
        // as the housekeeping timer calls it: outside a transaction, the purge commits its own chunks
        return withEntityManager(store -> store.purgeExpired(nowMillis));
    }

    @Override
    public long maxMid() {
        return withEntityManager(JpaMessageStore::maxMid);
    }

    @Override
    public void check() {
        withEntityManager(store -> {
            store.check();
            return null;
        });
    }

    @Override
    public void close() {
        saves.stop();
        factory.close();
        dataSource.close();
    }
}
