package io.pushcluster.engine.store.jpa;

import io.pushcluster.api.StoredMessage;
import io.pushcluster.engine.config.PushSettings;
import io.pushcluster.engine.store.MessageStore;
import io.pushcluster.engine.store.TransientFailures;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The real {@link JpaMessageStore} and persistence unit, run in Java SE: each call gets an entity
 * manager and a resource-local transaction of its own, as the container gives the EJB a JTA one.
 */
public final class LocalTransactionStore implements MessageStore, AutoCloseable {

    private final EntityManagerFactory factory;
    private final PushSettings settings;

    public LocalTransactionStore(String jdbcUrl, String user, String password, int cap) {
        Map<String, String> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("jakarta.persistence.jtaDataSource", "");
        properties.put("jakarta.persistence.jdbc.url", jdbcUrl);
        properties.put("jakarta.persistence.jdbc.user", user);
        properties.put("jakarta.persistence.jdbc.password", password);
        properties.put("eclipselink.target-server", "None");
        factory = Persistence.createEntityManagerFactory("push", properties);
        settings = new PushSettings(name -> PushSettings.STORE_CAP.equals(name)
                ? Optional.of(Integer.toString(cap)) : Optional.empty());
    }

    /** Deletes every stored message, for a test that needs an empty store. */
    public LocalTransactionStore emptied() {
        inTransaction(store -> store.em.createQuery("DELETE FROM MessageRow r").executeUpdate());
        return this;
    }

    private <T> T inTransaction(Function<JpaMessageStore, T> work) {
        EntityManager em = factory.createEntityManager();
        JpaMessageStore store = new JpaMessageStore();
        store.em = em;
        store.settings = settings;
        try {
            em.getTransaction().begin();
            T result = work.apply(store);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    @Override
    public void save(String key, StoredMessage message) {
        // as Pushes calls the store: a transaction lost to a deadlock is run again
        TransientFailures.retry(() -> inTransaction(store -> {
            store.save(key, message);
            return null;
        }));
    }

    @Override
    public void saveForKeys(Collection<String> keys, StoredMessage message) {
        TransientFailures.retry(() -> inTransaction(store -> {
            store.saveForKeys(keys, message);
            return null;
        }));
    }

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid, long nowMillis) {
        return inTransaction(store -> store.messagesAfter(key, afterMid, nowMillis));
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
        return inTransaction(store -> store.purgeExpired(nowMillis));
    }

    @Override
    public long maxMid() {
        return inTransaction(JpaMessageStore::maxMid);
    }

    @Override
    public void check() {
        inTransaction(store -> {
            store.check();
            return null;
        });
    }

    @Override
    public void close() {
        factory.close();
    }
}
