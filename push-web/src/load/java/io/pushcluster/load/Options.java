package io.pushcluster.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options; every address given must be loopback. */
final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();

    Options(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + name);
            }
            boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
            values.put(name.substring(2), flag ? "true" : args[++i]);
        }
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    long number(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
    }

    double decimal(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    /** Every option as given, for the result. */
    Map<String, String> all() {
        return values;
    }

    /** A URL template ({@code {k}} for the key and so on) whose host must be loopback. */
    static URI loopbackUri(String template) {
        URI uri = URI.create(template.replaceAll("\\{[a-z]}", "x"));
        requireLoopback(uri.getHost());
        return uri;
    }

    static InetAddress requireLoopback(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException(host + " is not a loopback address: the load client targets loopback only");
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }

    /** Source addresses: {@code 127.0.0.2-127.0.0.4,127.0.0.9} (ranges of the last byte). */
    static List<InetAddress> sourceAddresses(String spec) {
        List<InetAddress> addresses = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return addresses;
        }
        for (String part : spec.split(",")) {
            String[] range = part.trim().split("-");
            String first = range[0];
            String prefix = first.substring(0, first.lastIndexOf('.') + 1);
            int from = Integer.parseInt(first.substring(prefix.length()));
            int to = range.length == 1 ? from : Integer.parseInt(range[1].substring(range[1].lastIndexOf('.') + 1));
            for (int last = from; last <= to; last++) {
                addresses.add(requireLoopback(prefix + last));
            }
        }
        return addresses;
    }
}
