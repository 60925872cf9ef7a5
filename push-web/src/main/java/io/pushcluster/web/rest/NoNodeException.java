package io.pushcluster.web.rest;

/** No node serves the key, or the node has no address for the protocol asked (ret 1001). */
final class NoNodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NoNodeException(String message) {
        super(message);
    }
}
