package dev.kizuna;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a real server that a test can cut and restore: while cut, open
 * connections are dropped and new ones refused, as when the database goes away.
 */
public final class PausableTcpProxy {

    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    private PausableTcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket first = new ServerSocket();
        first.setReuseAddress(true);
        first.bind(new InetSocketAddress("127.0.0.1", 0));
        this.port = first.getLocalPort();
        accept(first);
    }

    public static PausableTcpProxy to(int targetPort) {
        try {
            return new PausableTcpProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("the proxy cannot listen", e);
        }
    }

    public int port() {
        return port;
    }

    /** Drops every connection and refuses new ones. */
    public synchronized void cut() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void restore() throws IOException {
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress("127.0.0.1", port));
        accept(again);
    }

    private void accept(ServerSocket listening) {
        server = listening;
        Thread acceptor = new Thread(
                () -> {
                    while (!listening.isClosed()) {
                        try {
                            Socket client = listening.accept();
                            Socket target = new Socket("127.0.0.1", targetPort);
                            open.add(client);
                            open.add(target);
                            pump(client, target);
                            pump(target, client);
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void pump(Socket from, Socket to) {
        Thread pump = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException dropped) {
                        // The other side or the test closed the connection.
                    } finally {
                        try {
                            from.close();
                            to.close();
                        } catch (IOException ignored) {
                            // Already closed.
                        }
                    }
                },
                "test-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }
}
