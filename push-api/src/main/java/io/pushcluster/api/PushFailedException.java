package io.pushcluster.api;

/** The server could not do what was asked: storage or routing failed, or a message is not JSON (ret 65535). */
public class PushFailedException extends PushException {

    private static final long serialVersionUID = 1L;

    public PushFailedException(String message) {
        super(message);
    }

    public PushFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
