package io.pushcluster.ear.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on and the UDP sockets it has bound, read from Linux's /proc: the
 * process's socket inodes, looked up in /proc/net/{tcp,tcp6,udp,udp6}.
 */
final class ListeningSockets {

    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONNECTED = "07";

    private ListeningSockets() {
    }

    static boolean readable() {
        return Files.isDirectory(Path.of("/proc/self/fd")) && Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** Local addresses, as "address:port", of every listening or bound socket of the process. */
    static List<String> of(long pid) {
        Set<String> inodes = socketInodes(pid);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            String state = table.startsWith("tcp") ? TCP_LISTEN : UDP_UNCONNECTED;
            for (String line : lines(Path.of("/proc/net", table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[3].equals(state) && inodes.contains(fields[9])) {
                    addresses.add(table + " " + address(fields[1]));
                }
            }
        }
        return addresses;
    }

    /** Whether an address of {@link #of} is 127.0.0.1, also in its IPv4-mapped IPv6 form. */
    static boolean isLoopback(String address) {
        String host = address.substring(address.indexOf(' ') + 1, address.lastIndexOf(':'));
        return host.equals("127.0.0.1") || host.equals("::ffff:127.0.0.1");
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            descriptors.forEach(descriptor -> {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while the directory was listed holds no socket
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    /** /proc/net's "hex address:hex port"; an address is 4-byte words in host (little-endian) order. */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String words = parts[0];
        if (words.length() == 8) {
            return ipv4(words) + ":" + port;
        }
        if (words.startsWith("0000000000000000FFFF0000")) {
            return "::ffff:" + ipv4(words.substring(24)) + ":" + port;
        }
        StringBuilder ipv6 = new StringBuilder();
        for (int word = 0; word < 4; word++) {
            String littleEndian = words.substring(word * 8, word * 8 + 8);
            for (int b = 3; b >= 0; b--) {
                ipv6.append(littleEndian, b * 2, b * 2 + 2);
                if (b % 2 == 0 && !(word == 3 && b == 0)) {
                    ipv6.append(':');
                }
            }
        }
        return "[" + ipv6.toString().toLowerCase() + "]:" + port;
    }

    private static String ipv4(String littleEndianHex) {
        StringBuilder ipv4 = new StringBuilder();
        for (int b = 3; b >= 0; b--) {
            ipv4.append(Integer.parseInt(littleEndianHex.substring(b * 2, b * 2 + 2), 16));
            if (b > 0) {
                ipv4.append('.');
            }
        }
        return ipv4.toString();
    }

    private static List<String> lines(Path table) {
        try {
            return Files.readAllLines(table).stream().skip(1).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
