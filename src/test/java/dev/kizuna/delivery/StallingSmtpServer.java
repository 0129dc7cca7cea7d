package dev.kizuna.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An SMTP server that accepts every email but holds one recipient's conversation at RCPT TO
 * until released, as a slow or overloaded mailbox provider holds a single delivery, while it
 * takes the emails of other connections at once. Each connection is served on its own thread.
 */
final class StallingSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final String stalledRecipient;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();

    StallingSmtpServer(int port, String stalledRecipient) throws IOException {
        // Set before binding, where it counts: the port was just given up by the server before this one.
        this.socket = new ServerSocket();
        this.socket.setReuseAddress(true);
        this.socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        this.stalledRecipient = stalledRecipient.toLowerCase(Locale.ROOT);
        Thread acceptor = new Thread(this::acceptAll, "stalling-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Waits until the stalled recipient's delivery is being held. */
    boolean awaitStalled(long seconds) throws InterruptedException {
        return stalled.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets the held delivery go on. */
    void release() {
        released.countDown();
    }

    /** The recipients of the emails taken so far. */
    List<String> delivered() {
        return List.copyOf(delivered);
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                clients.add(client);
                Thread conversation = new Thread(() -> converse(client), "stalling-smtp-client");
                conversation.setDaemon(true);
                conversation.start();
            } catch (IOException closed) {
                // The end.
            }
        }
    }

    private void converse(Socket client) {
        try (client) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = client.getOutputStream();
            reply(out, "220 stalling.test ESMTP");
            String recipient = null;
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                    reply(out, "250 stalling.test");
                } else if (command.startsWith("MAIL FROM")) {
                    reply(out, "250 2.1.0 OK");
                } else if (command.startsWith("RCPT TO")) {
                    recipient = line.substring(line.indexOf('<') + 1, line.indexOf('>'))
                            .toLowerCase(Locale.ROOT);
                    if (recipient.equals(stalledRecipient)) {
                        stalled.countDown();
                        released.await();
                    }
                    reply(out, "250 2.1.5 OK");
                } else if (command.startsWith("DATA")) {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // The content is not kept.
                    }
                    delivered.add(recipient);
                    reply(out, "250 2.0.0 OK queued");
                } else if (command.startsWith("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    return;
                } else {
                    reply(out, "250 2.0.0 OK");
                }
            }
        } catch (IOException | InterruptedException | RuntimeException dropped) {
            // The client went away, or the server is closing.
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        socket.close();
        for (Socket client : clients) {
            client.close();
        }
    }
}
