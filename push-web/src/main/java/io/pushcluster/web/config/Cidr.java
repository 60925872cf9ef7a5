package io.pushcluster.web.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or one address
 * ({@code 192.0.2.7}, {@code ::1}). An IPv4 address written as IPv6 ({@code ::ffff:192.0.2.7}) is
 * matched as the IPv4 address it is.
 */
public record Cidr(byte[] network, int prefix, String text) {

    /**
     * Parses a block; only literal addresses, never a host name to look up.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = address(address).map(literal -> normalized(literal.getAddress()))
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or a CIDR block"));
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = trimmed.substring(slash + 1);
            if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length after the /");
            }
            prefix = Integer.parseInt(length);
            if (prefix > bits) {
                throw new IllegalArgumentException("'" + text + "': the prefix length is at most " + bits);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, trimmed);
    }

    /** Parses a comma-separated list; empty for none. */
    public static List<Cidr> parseAll(List<String> texts) {
        List<Cidr> blocks = new ArrayList<>();
        for (String text : texts) {
            blocks.add(parse(text));
        }
        return List.copyOf(blocks);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = normalized(address.getAddress());
        if (bytes.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(bytes, prefix), network);
    }

    /** Whether any of the blocks holds the address. */
    public static boolean any(List<Cidr> blocks, InetAddress address) {
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A literal IPv4 (dotted quad) or IPv6 address (without brackets, port or zone), or empty for
     * anything else. Never a name to look up: InetAddress would ask DNS for what is not a literal.
     */
    public static Optional<InetAddress> address(String text) {
        if (text.isEmpty() || text.length() > 45 || !text.chars().allMatch(c -> (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':')) {
            return Optional.empty();
        }
        if (text.indexOf(':') < 0 && (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                || Arrays.stream(text.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static byte[] normalized(byte[] bytes) {
        if (bytes.length == 16) {
            boolean mapped = bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
        }
        return bytes;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] = (byte) (masked[i] & (0xFF << (8 - keep)));
        }
        return masked;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && cidr.prefix == prefix && Arrays.equals(cidr.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
