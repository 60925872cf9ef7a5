package io.pushcluster.load;

import java.nio.charset.StandardCharsets;

/** The pushed message, stamped with its scheduled send time, and what the replies say. */
final class Messages {

    private Messages() {
    }

    /** {@code {"t":<epoch micros>,"pad":"xxx"}}, padded to about {@code size} bytes. */
    static String stamped(long scheduledMicros, int size) {
        String head = "{\"t\":" + scheduledMicros + ",\"pad\":\"";
        int pad = Math.max(0, size - head.length() - 2);
        return head + "x".repeat(pad) + "\"}";
    }

    /** The same message as a JSON string, as a multi-key push carries it. */
    static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** HTTP 200 and {@code "ret":0}; a reply without {@code ret} (the reference server's) counts as accepted. */
    static boolean accepted(int status, byte[] body) {
        if (status != 200) {
            return false;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return text.contains("\"ret\":0") || !text.contains("\"ret\"");
    }

    /** How many keys a multi-key push reply lists in {@code fk}. */
    static int failedKeys(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int fk = text.indexOf("\"fk\":[");
        if (fk < 0) {
            return 0;
        }
        String list = text.substring(fk + 6, text.indexOf(']', fk));
        return list.isBlank() ? 0 : list.split(",").length;
    }

    static int count(byte[] body, String what) {
        String text = new String(body, StandardCharsets.UTF_8);
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
