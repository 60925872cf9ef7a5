package io.pushcluster.engine.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads settings of one concern from MicroProfile Config (or any lookup), with their defaults, and
 * remembers each value in force for the admin statistics. Every settings class reads through this, so
 * that every setting is stripped, defaulted and checked the same way.
 */
public final class SettingsReader {

    private final Function<String, Optional<String>> lookup;
    private final Map<String, String> effective = new LinkedHashMap<>();

    /** @param lookup the raw value of a property, empty when it is not set */
    public SettingsReader(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** The raw value, stripped; empty when it is not set or blank. Not noted as in force. */
    public Optional<String> raw(String name) {
        return lookup.apply(name).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Notes a value in force as it should show, for settings read with {@link #raw}. */
    public void note(String name, String shown) {
        effective.put(name, shown);
    }

    public String text(String name, String fallback) {
        String value = raw(name).orElse(fallback);
        effective.put(name, value);
        return value;
    }

    public boolean flag(String name, boolean fallback) {
        return Boolean.parseBoolean(text(name, Boolean.toString(fallback)));
    }

    public int positive(String name, int fallback) {
        return atLeast(name, fallback, 1);
    }

    public int atLeast(String name, int fallback, int minimum) {
        String raw = text(name, Integer.toString(fallback));
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + raw + "'");
        }
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", not " + value);
        }
        return value;
    }

    /** A comma-separated list, empty when the setting is not set. */
    public List<String> list(String name) {
        return splitList(text(name, ""));
    }

    /** {@code host:port} (an IPv6 host in brackets), or none when the setting is blank and has no default. */
    public Optional<HostPort> address(String name, String fallback) {
        String value = text(name, fallback);
        return value.isEmpty() ? Optional.empty() : Optional.of(HostPort.parse(name, value));
    }

    /** {@code name=value,...} in the order given; names must be distinct. */
    public static Map<String, String> namedValues(String property, String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String entry : splitList(raw)) {
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals).strip();
            String value = equals < 0 ? "" : entry.substring(equals + 1).strip();
            if (name.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException(property + " entries must be name=value, not '" + entry + "'");
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException(property + " names '" + name + "' twice");
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /** The non-blank items of a comma-separated value, stripped. */
    public static List<String> splitList(String raw) {
        List<String> values = new ArrayList<>();
        Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(values::add);
        return Collections.unmodifiableList(values);
    }

    /** Every setting read, with the value in force. */
    public Map<String, String> effective() {
        return Collections.unmodifiableMap(effective);
    }
}
