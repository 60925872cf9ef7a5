package io.pushcluster.engine.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a server that holds back every burst of bytes from the
 * client for a while: each round trip through it costs at least that delay, so the number of round
 * trips a call makes shows in how long it takes.
 */
final class SlowLink implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final long delayMillis;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private SlowLink(int targetPort, long delayMillis) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.delayMillis = delayMillis;
        daemon(this::accept);
    }

    static SlowLink to(int targetPort, long delayMillis) throws IOException {
        return new SlowLink(targetPort, delayMillis);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                daemon(() -> relay(client, server, delayMillis));
                daemon(() -> relay(server, client, 0));
            }
        } catch (IOException e) {
            // the link was closed
        }
    }

    private static void relay(Socket from, Socket to, long delayMillis) {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                Thread.sleep(delayMillis);
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side went away
        }
    }

    private static void daemon(Runnable work) {
        Thread thread = new Thread(work, "slow-link");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
