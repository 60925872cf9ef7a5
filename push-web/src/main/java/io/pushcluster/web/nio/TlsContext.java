package io.pushcluster.web.nio;

import io.pushcluster.web.config.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The JDK's TLS for a listener of our own, from the certificate the settings name: a PKCS#12 keystore,
 * or a PEM certificate chain and an unencrypted PKCS#8 key. The files are read again, at most once a
 * second as connections arrive, when one of them changed: a renewed certificate is used for new
 * connections without a restart. A file that cannot be read at start fails the listener; a renewal that
 * cannot be read is logged and the certificate in use is kept.
 */
public final class TlsContext {

    private static final Logger LOG = Logger.getLogger(TlsContext.class.getName());
    private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final TlsSettings settings;
    private volatile SSLContext context;
    private volatile List<Long> loadedStamps;
    private volatile long nextCheckNanos;

    private TlsContext(TlsSettings settings) throws GeneralSecurityException, IOException {
        this.settings = settings;
        this.loadedStamps = stamps();
        this.context = load();
        this.nextCheckNanos = System.nanoTime() + CHECK_NANOS;
    }

    /**
     * The context of a listener, or empty when it speaks plain TCP.
     *
     * @throws IllegalStateException when the certificate or key cannot be read
     */
    public static Optional<TlsContext> of(TlsSettings settings, String listener) {
        if (!settings.on(listener)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TlsContext(settings));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the TLS certificate and key (" + files(settings) + "): " + e, e);
        }
    }

    /** A server-side engine for one connection, from the certificate in force now. */
    SSLEngine newEngine() {
        reloadIfChanged();
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(PROTOCOLS);
        return engine;
    }

    private void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - nextCheckNanos < 0) {
            return;
        }
        synchronized (this) {
            if (now - nextCheckNanos < 0) {
                return;
            }
            nextCheckNanos = now + CHECK_NANOS;
            try {
                List<Long> current = stamps();
                if (!current.equals(loadedStamps)) {
                    context = load();
                    loadedStamps = current;
                    LOG.info(() -> "TLS certificate read again: " + files(settings));
                }
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not read the renewed TLS certificate (" + files(settings)
                        + "); keeping the one in use", e);
            }
        }
    }

    private List<Long> stamps() throws IOException {
        List<Long> stamps = new ArrayList<>();
        for (Path file : paths(settings)) {
            stamps.add(Files.getLastModifiedTime(file).toMillis());
            stamps.add(Files.size(file));
        }
        return stamps;
    }

    private SSLContext load() throws GeneralSecurityException, IOException {
        char[] password = settings.password().toCharArray();
        KeyStore store;
        if (settings.keystore().isPresent()) {
            store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(settings.keystore().get())) {
                store.load(in, password);
            }
        } else {
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            List<Certificate> chain = new ArrayList<>();
            try (InputStream in = Files.newInputStream(settings.certificate().orElseThrow())) {
                chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (chain.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + settings.certificate().get());
            }
            store.setKeyEntry("push", privateKey(settings.key().orElseThrow()), password,
                    chain.toArray(Certificate[]::new));
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    private static PrivateKey privateKey(Path file) throws GeneralSecurityException, IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("the key in " + file + " is not RSA, EC or Ed25519", last);
    }

    private static List<Path> paths(TlsSettings settings) {
        List<Path> paths = new ArrayList<>();
        settings.keystore().ifPresent(paths::add);
        settings.certificate().ifPresent(paths::add);
        settings.key().ifPresent(paths::add);
        return paths;
    }

    private static String files(TlsSettings settings) {
        return paths(settings).toString();
    }
}
