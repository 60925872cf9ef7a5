package io.pushcluster.web.browser;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file read once from the class path and served with its media type and an entity tag of its
 * content. Browsers revalidate on every use ({@code no-cache}) and get a 304 while it is unchanged,
 * so a new version of the server is never paired with a cached old client.
 */
final class StaticFile {

    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");

    private final byte[] content;
    private final MediaType type;
    private final EntityTag tag;

    private StaticFile(byte[] content, MediaType type) {
        this.content = content;
        this.type = type;
        this.tag = new EntityTag(sha256(content).substring(0, 32));
    }

    /** The file {@code name} beside this class; a missing file fails the deployment. */
    static StaticFile load(String name, MediaType type) {
        try (InputStream in = StaticFile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + name);
            }
            return new StaticFile(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response serve(Request request) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.cacheControl(REVALIDATE).build();
        }
        return Response.ok(content, type)
                .tag(tag)
                .cacheControl(REVALIDATE)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
