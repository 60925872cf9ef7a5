package io.pushcluster.engine.message;

/**
 * One message on its way to subscribers. Its two wire forms are built at most once, however many
 * connections it is delivered to.
 */
public final class PushedMessage {

    /** gid of a message pushed to keys. */
    public static final int PRIVATE = 0;
    /** gid of a public message: one every subscriber receives ({@link PublicStream}). */
    public static final int PUBLIC = 1;

    private final long mid;
    private final int gid;
    private final String json;
    private final long acceptedNanos = System.nanoTime();
    private volatile String versioned;
    private volatile String legacy;

    public PushedMessage(long mid, int gid, String json) {
        this.mid = mid;
        this.gid = gid;
        this.json = json;
    }

    public long mid() {
        return mid;
    }

    public int gid() {
        return gid;
    }

    public String json() {
        return json;
    }

    /** {@link System#nanoTime()} when this member made it: accepted the push, or received it from another member. */
    public long acceptedNanos() {
        return acceptedNanos;
    }

    /** {@code {"msg":<json>,"mid":N,"gid":G}}: the form for clients that send a version. */
    public String versionedForm() {
        String form = versioned;
        if (form == null) {
            form = envelope(json, mid, gid);
            versioned = form;
        }
        return form;
    }

    /**
     * {@code {"msg":"<json as a string>","mid":N,"gid":G}}: the form of gopush-cluster's legacy SDKs,
     * the string escaped as gopush-cluster's Go encoder escapes it.
     */
    public String legacyForm() {
        String form = legacy;
        if (form == null) {
            form = envelope(JsonText.quoteHtmlSafe(json), mid, gid);
            legacy = form;
        }
        return form;
    }

    public String form(boolean versionedClient) {
        return versionedClient ? versionedForm() : legacyForm();
    }

    private static String envelope(String msgValue, long mid, int gid) {
        return new StringBuilder(msgValue.length() + 40)
                .append("{\"msg\":").append(msgValue)
                .append(",\"mid\":").append(mid)
                .append(",\"gid\":").append(gid)
                .append('}').toString();
    }
}
