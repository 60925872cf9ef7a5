package io.pushcluster.web.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may call the admin endpoints (PROTOCOL.md B.3). With {@code push.admin.credential} set, every
 * caller must send {@code Authorization: Bearer <credential>}, or Basic authentication with the
 * credential as its password, as a browser does for the dashboard (HTTP 401 otherwise); without it, only
 * loopback callers are answered (HTTP 403 otherwise). Both HTTP transports ask this.
 */
public final class AdminAccess {

    /** Why a caller is refused: the HTTP status, a plain-text line, and whether to ask for a Bearer credential. */
    public record Refusal(int status, String text, boolean challenge) {
    }

    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";
    private static final Refusal NO_CREDENTIAL = new Refusal(401, "admin credential required\n", true);
    private static final Refusal NOT_LOOPBACK = new Refusal(403,
            "admin endpoints answer loopback callers only unless push.admin.credential is set\n", false);

    private AdminAccess() {
    }

    /**
     * @param credential    the configured credential, if any
     * @param authorization the request's Authorization header, or null
     * @param loopback      whether the caller is on a loopback address (as the client addresses judge it)
     * @return empty when the caller may go on
     */
    public static Optional<Refusal> check(Optional<String> credential, String authorization, boolean loopback) {
        if (credential.isPresent()) {
            boolean valid = authorization != null && given(authorization).map(g -> same(g, credential.get())).orElse(false);
            return valid ? Optional.empty() : Optional.of(NO_CREDENTIAL);
        }
        return loopback ? Optional.empty() : Optional.of(NOT_LOOPBACK);
    }

    /** The credential of {@code Bearer <credential>}, or the password of Basic {@code user:<credential>} (a browser's). */
    private static Optional<String> given(String authorization) {
        if (authorization.startsWith(BEARER)) {
            return Optional.of(authorization.substring(BEARER.length()));
        }
        if (authorization.startsWith(BASIC)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? Optional.empty() : Optional.of(pair.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
