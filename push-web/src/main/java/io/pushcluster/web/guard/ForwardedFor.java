package io.pushcluster.web.guard;

import io.pushcluster.web.config.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client addresses proxies report: the {@code for=} parameters of {@code Forwarded} (RFC 7239),
 * else the entries of {@code X-Forwarded-For}, in order (the client first, the last proxy's peer last),
 * across every occurrence of the header.
 */
final class ForwardedFor {

    /** Hops believed at most: a longer chain is read from its right-hand end. */
    static final int MAX_HOPS = 32;
    private static final Pattern FOR = Pattern.compile("(?i)(?:^|[;,\\s])for\\s*=\\s*(\"[^\"]*\"|[^;,\\s]*)");
    private static final Pattern PORT_V4 = Pattern.compile("^(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d+$");

    private ForwardedFor() {
    }

    /** The reported hops, as written (quotes removed), the last {@link #MAX_HOPS} of them; empty when none. */
    static List<String> chain(Function<String, List<String>> headers) {
        List<String> hops = new ArrayList<>();
        List<String> forwarded = headers.apply("forwarded");
        if (forwarded != null && !forwarded.isEmpty()) {
            for (String value : forwarded) {
                Matcher matcher = FOR.matcher(value);
                while (matcher.find()) {
                    hops.add(unquote(matcher.group(1)));
                }
            }
        } else {
            List<String> xff = headers.apply("x-forwarded-for");
            if (xff != null) {
                for (String value : xff) {
                    for (String hop : value.split(",")) {
                        hops.add(hop.strip());
                    }
                }
            }
        }
        return hops.size() > MAX_HOPS ? hops.subList(hops.size() - MAX_HOPS, hops.size()) : hops;
    }

    /**
     * The IP address of a hop ({@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711},
     * {@code 2001:db8::1}), or null when it is none ({@code unknown}, an obfuscated name, garbage).
     * Never looks a name up.
     */
    static InetAddress address(String hop) {
        String text = hop.strip();
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            text = text.substring(1, close);
        } else {
            Matcher v4 = PORT_V4.matcher(text);
            if (v4.matches()) {
                text = v4.group(1);
            }
        }
        return Cidr.address(text).orElse(null);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
