package io.pushcluster.engine.grid;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the members of a cluster share: each member's card, a channel to each member, and maps every
 * member sees. {@link HazelcastGrid} is Payara's data grid; {@link SoloGrid} is a node alone.
 */
public interface Grid {

    /** This member's id in the grid, unique among live members. */
    String localId();

    /** The host this member talks to the grid on, for addresses it was not given. */
    String localHost();

    /** Publishes (or replaces) this member's card. */
    void publish(MemberCard card);

    /** Withdraws this member's card; it still follows the grid and receives what is sent to it. */
    void withdraw();

    /** The cards of the live members that published one, by member id; members in join order. */
    Map<String, MemberCard> liveCards();

    /** The ids of the members in the grid now, on the ring or not (joining, leaving). */
    Set<String> memberIds();

    /** Runs the listener (on a grid thread) whenever a member or a card comes or goes. */
    void onChange(Runnable listener);

    /**
     * Sends bytes to one member.
     *
     * @throws IllegalStateException when that member is not in the cluster (any more)
     */
    void send(String memberId, byte[] payload);

    /** Hands every payload sent to this member to the receiver (on a grid thread). */
    void onReceive(Consumer<byte[]> receiver);

    /** A map of text shared by every member; survives the loss of any one member. */
    SharedMap sharedMap(String name);

    /** Withdraws this member's card and listeners, as the application stops. */
    void leave();
}
