package io.pushcluster.web.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may call the admin endpoints (PROTOCOL.md B.3). With {@code push.admin.credential} set, every
 * caller must send {@code Authorization: Bearer <credential>} (HTTP 401 otherwise); without it, only
 * loopback callers are answered (HTTP 403 otherwise). Both HTTP transports ask this.
 */
public final class AdminAccess {

    /** Why a caller is refused: the HTTP status, a plain-text line, and whether to ask for a Bearer credential. */
    public record Refusal(int status, String text, boolean challenge) {
    }

    private static final String BEARER = "Bearer ";
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
            boolean valid = authorization != null && authorization.startsWith(BEARER)
                    && same(authorization.substring(BEARER.length()), credential.get());
            return valid ? Optional.empty() : Optional.of(NO_CREDENTIAL);
        }
        return loopback ? Optional.empty() : Optional.of(NOT_LOOPBACK);
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
