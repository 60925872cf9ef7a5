package io.pushcluster.web.socket;

/** A client frame the server does not accept, with the status code of the close frame it answers. */
final class FrameException extends Exception {

    private final int closeCode;

    private FrameException(int closeCode, String message) {
        // no stack trace: a client sending garbage is expected, and costs no more than a code
        super(message, null, false, false);
        this.closeCode = closeCode;
    }

    static FrameException protocolError(String message) {
        return new FrameException(WebSocketFraming.PROTOCOL_ERROR, message);
    }

    static FrameException tooBig(String message) {
        return new FrameException(WebSocketFraming.MESSAGE_TOO_BIG, message);
    }

    int closeCode() {
        return closeCode;
    }
}
