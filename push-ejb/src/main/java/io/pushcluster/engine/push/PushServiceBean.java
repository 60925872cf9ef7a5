package io.pushcluster.engine.push;

import io.pushcluster.api.PushService;
import io.pushcluster.api.StoredMessage;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The push service for other applications (JNDI names in the README): an EJB adapter over
 * {@link Pushes}, the service itself, which this server's own boundaries inject as {@link PushService}.
 * It is no CDI bean of that type ({@code @Typed}), so that {@code @Inject PushService} means one bean. Runs outside a transaction so that the store's own transaction has committed before anything
 * is delivered.
 */
@Stateless
@Local(PushService.class)
@Typed
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PushServiceBean implements PushService {

    @Inject
    Pushes pushes;

    @Override
    public long push(String key, String message, long expireSeconds) {
        return pushes.push(key, message, expireSeconds);
    }

    @Override
    public long push(String key, String message, long expireSeconds, String idempotencyKey) {
        return pushes.push(key, message, expireSeconds, idempotencyKey);
    }

    @Override
    public List<String> pushToMany(Collection<String> keys, String message, long expireSeconds) {
        return pushes.pushToMany(keys, message, expireSeconds);
    }

    @Override
    public List<String> pushToMany(Collection<String> keys, String message, long expireSeconds, String idempotencyKey) {
        return pushes.pushToMany(keys, message, expireSeconds, idempotencyKey);
    }

    @Override
    public long pushPublic(String message, long expireSeconds) {
        return pushes.pushPublic(message, expireSeconds);
    }

    @Override
    public long pushPublic(String message, long expireSeconds, String idempotencyKey) {
        return pushes.pushPublic(message, expireSeconds, idempotencyKey);
    }

    @Override
    public List<StoredMessage> publicMessagesAfter(long afterPmid) {
        return pushes.publicMessagesAfter(afterPmid);
    }

    @Override
    public List<StoredMessage> messagesAfter(String key, long afterMid) {
        return pushes.messagesAfter(key, afterMid);
    }

    @Override
    public void deleteMessages(String key) {
        pushes.deleteMessages(key);
    }

    @Override
    public Map<String, Integer> presence(Collection<String> keys) {
        return pushes.presence(keys);
    }

    @Override
    public int kick(String key) {
        return pushes.kick(key);
    }

    @Override
    public int ban(String key, long seconds) {
        return pushes.ban(key, seconds);
    }

    @Override
    public void unban(String key) {
        pushes.unban(key);
    }

    @Override
    public void addToGroup(String group, Collection<String> keys) {
        pushes.addToGroup(group, keys);
    }

    @Override
    public void removeFromGroup(String group, Collection<String> keys) {
        pushes.removeFromGroup(group, keys);
    }

    @Override
    public List<String> groupKeys(String group, String afterKey, int limit) {
        return pushes.groupKeys(group, afterKey, limit);
    }

    @Override
    public List<String> groupsOf(String key) {
        return pushes.groupsOf(key);
    }

    @Override
    public List<String> pushToGroup(String group, String message, long expireSeconds) {
        return pushes.pushToGroup(group, message, expireSeconds);
    }

    @Override
    public List<String> pushToGroup(String group, String message, long expireSeconds, String idempotencyKey) {
        return pushes.pushToGroup(group, message, expireSeconds, idempotencyKey);
    }

    @Override
    public List<String> onlineInGroup(String group) {
        return pushes.onlineInGroup(group);
    }

    @Override
    public long currentTimeId() {
        return pushes.currentTimeId();
    }

    @Override
    public void addToken(String key, String token, long expireSeconds) {
        pushes.addToken(key, token, expireSeconds);
    }

    @Override
    public void removeToken(String key, String token) {
        pushes.removeToken(key, token);
    }
}
