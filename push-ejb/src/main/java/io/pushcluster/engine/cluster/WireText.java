package io.pushcluster.engine.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts in the bytes members send each other: UTF-8 after their length, and lists of them after their
 * count. A reader is given a limit (the payload's size), so that a corrupt length fails at once
 * instead of asking for a huge array.
 */
public final class WireText {

    private WireText() {
    }

    public static void write(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** @throws IllegalArgumentException when the length is negative, over the limit or not all there */
    public static String read(DataInputStream in, int limit) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > limit) {
            throw new IllegalArgumentException("a text of " + length + " bytes");
        }
        byte[] utf8 = in.readNBytes(length);
        if (utf8.length < length) {
            throw new IllegalArgumentException("a truncated text");
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }

    public static void writeAll(DataOutputStream out, List<String> texts) throws IOException {
        out.writeInt(texts.size());
        for (String text : texts) {
            write(out, text);
        }
    }

    public static List<String> readAll(DataInputStream in, int limit) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > limit) {
            throw new IllegalArgumentException(count + " texts");
        }
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(read(in, limit));
        }
        return texts;
    }
}
