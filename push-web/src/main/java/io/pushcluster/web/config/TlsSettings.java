package io.pushcluster.web.config;

import io.pushcluster.engine.config.SettingsReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * TLS on the listeners of our own: the certificate and its key, from a PKCS#12 keystore or from PEM
 * files, and which listeners speak TLS. Payara's own port uses Payara's HTTPS listener instead.
 *
 * @param keystore    {@code push.tls.keystore}: a PKCS#12 file holding the key and its certificate chain
 * @param password    {@code push.tls.keystore-password} (empty for none)
 * @param certificate {@code push.tls.certificate}: a PEM file of the certificate chain, the server's first
 * @param key         {@code push.tls.key}: a PEM file of the unencrypted PKCS#8 private key (RSA, EC)
 * @param listeners   the listeners that speak TLS: {@code websocket}, {@code http}, {@code tcp}
 */
public record TlsSettings(Optional<Path> keystore, String password, Optional<Path> certificate, Optional<Path> key,
        Set<String> listeners) {

    public static final String KEYSTORE = "push.tls.keystore";
    public static final String PASSWORD = "push.tls.keystore-password";
    public static final String CERTIFICATE = "push.tls.certificate";
    public static final String KEY = "push.tls.key";
    public static final String LISTENERS = "push.tls.listeners";
    public static final String WEBSOCKET = "websocket";
    public static final String HTTP = "http";
    public static final String TCP = "tcp";
    private static final Set<String> ALL = Set.of(WEBSOCKET, HTTP, TCP);

    static TlsSettings read(SettingsReader reader) {
        Optional<Path> keystore = reader.raw(KEYSTORE).map(Path::of);
        Optional<Path> certificate = reader.raw(CERTIFICATE).map(Path::of);
        Optional<Path> key = reader.raw(KEY).map(Path::of);
        String password = reader.raw(PASSWORD).orElse("");
        reader.note(KEYSTORE, keystore.map(Path::toString).orElse(""));
        reader.note(PASSWORD, password.isEmpty() ? "" : "(set)");
        reader.note(CERTIFICATE, certificate.map(Path::toString).orElse(""));
        reader.note(KEY, key.map(Path::toString).orElse(""));
        if (keystore.isPresent() && (certificate.isPresent() || key.isPresent())) {
            throw new IllegalArgumentException("set either " + KEYSTORE + " or " + CERTIFICATE + " and " + KEY
                    + ", not both");
        }
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException(CERTIFICATE + " and " + KEY + " go together: set both or neither");
        }
        boolean material = keystore.isPresent() || certificate.isPresent();
        List<String> named = reader.list(LISTENERS);
        if (reader.raw(LISTENERS).isEmpty()) {
            named = material ? List.of(WEBSOCKET, HTTP, TCP) : List.of();
            reader.note(LISTENERS, String.join(",", named));
        }
        for (String listener : named) {
            if (!ALL.contains(listener)) {
                throw new IllegalArgumentException(LISTENERS + " names websocket, http and tcp, not '" + listener + "'");
            }
        }
        if (!named.isEmpty() && !material) {
            throw new IllegalArgumentException(LISTENERS + " is set but no certificate is: set " + KEYSTORE + ", or "
                    + CERTIFICATE + " and " + KEY);
        }
        return new TlsSettings(keystore, password, certificate, key, Set.copyOf(named));
    }

    /** Whether the listener ({@link #WEBSOCKET}, {@link #HTTP}, {@link #TCP}) speaks TLS. */
    public boolean on(String listener) {
        return listeners.contains(listener);
    }
}
