package io.pushcluster.api;

/** A missing or invalid argument, or one over a configured limit (ret 65534 on the wire). */
public class InvalidParameterException extends PushException {

    private static final long serialVersionUID = 1L;

    public InvalidParameterException(String message) {
        super(message);
    }
}
