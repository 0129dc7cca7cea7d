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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that refuses recipients, as a mailbox provider does for an address that does
 * not exist: 550 5.1.1 for the domain it is told to bounce, 450 (try later) for everyone else,
 * so that no other email is lost while it stands in for the real server.
 */
final class RecipientRejectingSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final String bouncedDomain;
    private final Thread acceptor;
    private volatile Socket current;
    private final Map<String, AtomicInteger> refusedForGood = new ConcurrentHashMap<>();

    RecipientRejectingSmtpServer(int port, String bouncedDomain) throws IOException {
        // Set before binding, where it counts: the port was just given up by the server before this one.
        this.socket = new ServerSocket();
        this.socket.setReuseAddress(true);
        this.socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        this.bouncedDomain = bouncedDomain.toLowerCase(Locale.ROOT);
        this.acceptor = new Thread(this::acceptAll, "rejecting-smtp");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                current = client;
                converse(client);
            } catch (IOException closedOrDropped) {
                // The next client, or the end.
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream();
        reply(out, "220 rejecting.test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                reply(out, "250 rejecting.test");
            } else if (command.startsWith("MAIL FROM")) {
                reply(out, "250 2.1.0 OK");
            } else if (command.startsWith("RCPT TO")) {
                if (command.contains("@" + bouncedDomain.toUpperCase(Locale.ROOT) + ">")) {
                    refusedForGood
                            .computeIfAbsent(recipient(line), any -> new AtomicInteger())
                            .incrementAndGet();
                    reply(out, "550 5.1.1 The email account that you tried to reach does not exist");
                } else {
                    reply(out, "450 4.2.1 Try again later");
                }
            } else if (command.startsWith("QUIT")) {
                reply(out, "221 2.0.0 Bye");
                return;
            } else {
                reply(
                        out,
                        command.startsWith("RSET") || command.startsWith("NOOP")
                                ? "250 2.0.0 OK"
                                : "503 5.5.1 Bad sequence");
            }
        }
    }

    /** How many times this server answered 550 for the address. */
    int timesRefusedForGood(String address) {
        AtomicInteger count = refusedForGood.get(address.toLowerCase(Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    private static String recipient(String rcptCommand) {
        int open = rcptCommand.indexOf('<');
        int close = rcptCommand.indexOf('>', open + 1);
        return rcptCommand.substring(open + 1, close).toLowerCase(Locale.ROOT);
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        // Like a server going away: the listening socket and the open conversation both end.
        socket.close();
        Socket client = current;
        if (client != null) {
            client.close();
        }
    }
}
