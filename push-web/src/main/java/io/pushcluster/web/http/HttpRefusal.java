package io.pushcluster.web.http;

/** A request the HTTP listener answers with an error status and then closes the connection. */
final class HttpRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    HttpRefusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
