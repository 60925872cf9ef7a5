package io.pushcluster.web.config;

import io.pushcluster.engine.config.SettingsReader;
import java.util.List;

/**
 * Which client addresses may connect, and which peers' word on a client's address is believed.
 *
 * @param allow              {@code push.ip.allow}: when not empty, only clients in these blocks are served
 * @param deny               {@code push.ip.deny}: clients in these blocks are refused (also when allowed)
 * @param proxies            {@code push.proxies}: peers whose {@code Forwarded} or {@code X-Forwarded-For}
 *                           header is believed
 * @param connectionsPerIp   {@code push.limit.connections-per-ip}: subscriber connections one client
 *                           address may hold on a member; 0 for no limit
 */
public record AddressSettings(List<Cidr> allow, List<Cidr> deny, List<Cidr> proxies, int connectionsPerIp) {

    public static final String ALLOW = "push.ip.allow";
    public static final String DENY = "push.ip.deny";
    public static final String PROXIES = "push.proxies";
    public static final String CONNECTIONS_PER_IP = "push.limit.connections-per-ip";

    /**
     * The settings; a block that is not a CIDR block fails, naming the setting, so that the server
     * refuses to start rather than running open.
     */
    static AddressSettings read(SettingsReader reader) {
        return new AddressSettings(blocks(reader, ALLOW), blocks(reader, DENY), blocks(reader, PROXIES),
                reader.atLeast(CONNECTIONS_PER_IP, 0, 0));
    }

    private static List<Cidr> blocks(SettingsReader reader, String property) {
        try {
            return Cidr.parseAll(reader.list(property));
        } catch (IllegalArgumentException e) {
            // without the cause: the container logs the root cause, which is to name the setting
            throw new IllegalArgumentException(property + ": " + e.getMessage());
        }
    }
}
