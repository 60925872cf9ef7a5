package io.pushcluster.engine.config;

/**
 * A {@code host:port} address, the host an IPv6 address in brackets: how settings, listeners, the
 * member card and the node lookup write and read addresses, in one place.
 */
public record HostPort(String host, int port) {

    /**
     * Reads {@code host:port} (an IPv6 host in brackets).
     *
     * @param setting the name to blame in the error
     * @throws IllegalArgumentException when the text is not such an address
     */
    public static HostPort parse(String setting, String text) {
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        int port = colon > 0 ? port(text.substring(colon + 1)) : 0;
        if (host.isEmpty() || port == 0) {
            throw new IllegalArgumentException(setting + " must be host:port, not '" + text + "'");
        }
        return new HostPort(host, port);
    }

    /** {@code host:port}, an IPv6 host put in brackets when it is not yet. */
    public static String format(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The host without the brackets of an IPv6 address, as sockets take it. */
    public static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * The host of an HTTP {@code Host} header ({@code host}, {@code host:port}, {@code [v6]} or
     * {@code [v6]:port}), without port and brackets.
     */
    public static String hostOfHeader(String header) {
        if (header.startsWith("[")) {
            int close = header.indexOf(']');
            return close > 0 ? header.substring(1, close) : header;
        }
        int colon = header.indexOf(':');
        return colon >= 0 && colon == header.lastIndexOf(':') ? header.substring(0, colon) : header;
    }

    /** A port number from 1 to 65535, or 0 when the text is not one. */
    public static int port(String text) {
        if (!text.matches("[0-9]{1,5}")) {
            return 0;
        }
        int port = Integer.parseInt(text);
        return port <= 65_535 ? port : 0;
    }

    /** 0.0.0.0, :: and their other spellings listen on every interface, and no client can connect to them. */
    public static boolean everyInterface(String host) {
        return bare(host).matches("[0.:]+");
    }
}
