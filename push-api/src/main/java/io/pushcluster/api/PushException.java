package io.pushcluster.api;

/** A push operation that did not succeed; the subclass says whether the caller or the server is at fault. */
public abstract class PushException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected PushException(String message) {
        super(message);
    }

    protected PushException(String message, Throwable cause) {
        super(message, cause);
    }
}
