package io.pushcluster.web.tcp;

/** The bytes a TCP client sent are not a subscribe command the server accepts. */
final class MalformedCommandException extends Exception {

    private final boolean wrongArgumentCount;

    private MalformedCommandException(String message, boolean wrongArgumentCount) {
        // no stack trace: a client sending garbage is expected, and costs no more than a flag
        super(message, null, false, false);
        this.wrongArgumentCount = wrongArgumentCount;
    }

    static MalformedCommandException framing(String message) {
        return new MalformedCommandException(message, false);
    }

    static MalformedCommandException argumentCount(long count) {
        return new MalformedCommandException(count + " arguments", true);
    }

    /** Framed correctly, but with a number of arguments no command has: the client gets {@code -p}. */
    boolean wrongArgumentCount() {
        return wrongArgumentCount;
    }
}
