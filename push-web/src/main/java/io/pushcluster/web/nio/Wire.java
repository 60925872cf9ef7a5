package io.pushcluster.web.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The bytes of one accepted socket as its protocol sees them: the socket itself, or TLS over it
 * ({@link TlsWire}). Reads run on the selector thread; writes on any thread, one at a time.
 */
interface Wire {

    /** Reads what arrived into {@code into}; the number of bytes, or -1 at the end of the stream. */
    int read(ByteBuffer into) throws IOException;

    /** Whether bytes already read wait to be handed over, for which the socket will not signal again. */
    boolean buffered();

    /** Writes what the socket takes now, leaving the rest in {@code bytes}. */
    void write(ByteBuffer bytes) throws IOException;

    /** Whether bytes the wire took wait to go out (then the socket must say when it drains). */
    boolean pending();

    /** Sends what waits, as far as the socket takes it; true when nothing waits any more. */
    boolean flush() throws IOException;

    /** Ends the stream after what was written. */
    void shutdownOutput() throws IOException;

    /** The socket as it is. */
    static Wire plain(SocketChannel channel) {
        return new Wire() {
            @Override
            public int read(ByteBuffer into) throws IOException {
                return channel.read(into);
            }

            @Override
            public boolean buffered() {
                return false;
            }

            @Override
            public void write(ByteBuffer bytes) throws IOException {
                channel.write(bytes);
            }

            @Override
            public boolean pending() {
                return false;
            }

            @Override
            public boolean flush() {
                return true;
            }

            @Override
            public void shutdownOutput() throws IOException {
                channel.shutdownOutput();
            }
        };
    }
}
