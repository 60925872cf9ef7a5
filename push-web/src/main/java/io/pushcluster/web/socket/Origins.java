package io.pushcluster.web.socket;

import java.util.List;

/** Which browser origins may subscribe over WebSocket ({@code push.origins}). */
public final class Origins {

    private Origins() {
    }

    /** A missing Origin (a non-browser client) is always allowed; an empty list allows every origin. */
    public static boolean allowed(List<String> allowed, String origin) {
        return origin == null || origin.isEmpty() || allowed.isEmpty() || allowed.contains(origin);
    }
}
