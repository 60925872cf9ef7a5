package io.pushcluster.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Pushes messages to subscriber keys and manages what is stored for them.
 *
 * <p>A message is any valid JSON text. With {@code expireSeconds > 0} it is stored for that many
 * seconds before it is delivered, so that a subscriber that was away can fetch it; with
 * {@code expireSeconds == 0} it only reaches subscribers connected now.
 */
public interface PushService {

    /**
     * Pushes one message to one key.
     *
     * @return the message id given to the message, strictly greater than every earlier one of the key
     * @throws InvalidParameterException if the key or message breaks a limit
     * @throws PushFailedException if the message is not valid JSON, or storing it failed (then it was
     *         not delivered either)
     */
    long push(String key, String message, long expireSeconds);

    /**
     * Pushes one message to one key at most once per idempotency key: sent again with the same
     * idempotency key (within the server's {@code push.idempotency.window}), it is answered with the
     * first push's message id and neither stored nor delivered again, whichever member gets it. Use it
     * to retry a push whose outcome is unknown. A push that failed may be retried with the same key.
     *
     * @param idempotencyKey chosen by the caller, unique per push; null or empty for none
     * @throws InvalidParameterException also when the idempotency key was used for another message
     * @see #push(String, String, long)
     */
    long push(String key, String message, long expireSeconds, String idempotencyKey);

    /**
     * Pushes one message to many keys.
     *
     * @return the keys the message could not be pushed to; empty when all succeeded
     * @throws InvalidParameterException if a key, the number of keys or the message breaks a limit
     * @throws PushFailedException if the message is not valid JSON
     */
    List<String> pushToMany(Collection<String> keys, String message, long expireSeconds);

    /**
     * Pushes one message to many keys at most once per idempotency key and subscriber key: sent again
     * with the same idempotency key, the keys the first push reached are skipped and only the others
     * (those it returned as failed) are pushed.
     *
     * @param idempotencyKey chosen by the caller, unique per push; null or empty for none
     * @see #pushToMany(Collection, String, long)
     */
    List<String> pushToMany(Collection<String> keys, String message, long expireSeconds, String idempotencyKey);

    /**
     * Pushes a public message: every subscriber connected to any member, on every transport, receives
     * it once, with gid 1. With {@code expireSeconds > 0} it is stored once (not once per key) before
     * it is delivered, for subscribers that were away to fetch ({@link #publicMessagesAfter}).
     *
     * @return its public message id (pmid), strictly greater than every earlier public message's
     * @throws InvalidParameterException if the message breaks a limit
     * @throws PushFailedException if the message is not valid JSON, or storing it failed (then it was
     *         not delivered either)
     */
    long pushPublic(String message, long expireSeconds);

    /**
     * Pushes a public message at most once per idempotency key, as {@link #push(String, String, long,
     * String)} does for a key.
     *
     * @param idempotencyKey chosen by the caller, unique per push; null or empty for none
     * @see #pushPublic(String, long)
     */
    long pushPublic(String message, long expireSeconds, String idempotencyKey);

    /** Stored, unexpired public messages with a pmid greater than {@code afterPmid}, oldest first. */
    List<StoredMessage> publicMessagesAfter(long afterPmid);

    /**
     * Stored, unexpired messages of a key with an id greater than {@code afterMid}, oldest first.
     * Reading deletes nothing.
     */
    List<StoredMessage> messagesAfter(String key, long afterMid);

    /** Deletes every stored message of a key. */
    void deleteMessages(String key);

    /**
     * Who is online: the connections each key has now, on whichever member of the cluster holds them,
     * in the order given (a key given twice is counted once).
     *
     * @throws InvalidParameterException if a key or the number of keys breaks a limit
     * @throws PushFailedException if a member that holds some of the keys did not answer in time
     */
    Map<String, Integer> presence(Collection<String> keys);

    /**
     * Adds keys to a group (creating it), shared by every member of the cluster. Sent again, nothing
     * changes.
     *
     * @throws InvalidParameterException if the group name or a key breaks a limit, more keys are given
     *         at once than a multi-key push takes, the group would hold more than the server's
     *         {@code push.limit.group-keys} keys, or a key would be in more than
     *         {@code push.limit.groups-per-key} groups; nothing changed then
     */
    void addToGroup(String group, Collection<String> keys);

    /** Removes keys from a group; a group left without keys is gone. Keys not in it are ignored. */
    void removeFromGroup(String group, Collection<String> keys);

    /** The group's keys in order, after {@code afterKey} (exclusive; null for the first), at most {@code limit}. */
    List<String> groupKeys(String group, String afterKey, int limit);

    /** The groups a key is in, in order. */
    List<String> groupsOf(String key);

    /**
     * Pushes one message to every key the group holds now, as {@link #pushToMany(Collection, String,
     * long)}: each key's subscribers receive it like a private message (gid 0) in the key's own mid
     * order, and a key that was away fetches it from its own history.
     *
     * @return the keys the message could not be pushed to; empty when all succeeded or the group is empty
     */
    List<String> pushToGroup(String group, String message, long expireSeconds);

    /** As {@link #pushToGroup(String, String, long)}, at most once per idempotency key and key of the group. */
    List<String> pushToGroup(String group, String message, long expireSeconds, String idempotencyKey);

    /** The keys of the group with at least one connection now, cluster-wide, in order. */
    List<String> onlineInGroup(String group);

    /** A value in message-id space: every message pushed after this call has a greater id. */
    long currentTimeId();

    /**
     * Registers a token for a key; subscribers of the key must present one of its tokens when
     * authentication is on.
     *
     * @param expireSeconds how long the token stays valid; {@code 0} for no expiry
     */
    void addToken(String key, String token, long expireSeconds);

    /** Removes a token of a key; removing an unknown token does nothing. */
    void removeToken(String key, String token);

    /**
     * Closes every connection of the key, on whichever member holds them, each told it was kicked
     * ({@code -k}); the key may subscribe again at once.
     *
     * @return how many connections were closed
     * @throws InvalidParameterException if the key breaks a limit
     * @throws PushFailedException if a member did not answer in time
     */
    int kick(String key);

    /**
     * Bans a key for the seconds given (replacing a ban it had): its connections are closed, each told
     * it was banned ({@code -b}), and its subscribes refused with {@code -b} on every member until the
     * ban ends. Bans are shared by the cluster and survive the loss of a member.
     *
     * @return how many connections were closed
     * @throws InvalidParameterException if the key or the seconds break a limit, or the cluster holds
     *     {@code push.limit.bans} bans already
     * @throws PushFailedException if a member did not answer in time
     */
    int ban(String key, long seconds);

    /** Lifts a key's ban on every member; lifting none does nothing. */
    void unban(String key);
}
