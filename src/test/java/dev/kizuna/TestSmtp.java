package dev.kizuna;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;

/** The SMTP server the test profile sends to (kizuna.smtp.port 3025): GreenMail, as a mailbox provider. */
public final class TestSmtp {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /**
     * Patient at start: on a loaded machine GreenMail's server thread can take longer than its
     * default two seconds to listen, and a test that fails for that says nothing about Kizuna.
     */
    public static final ServerSetup SETUP = patient(ServerSetupTest.SMTP);

    public static final int PORT = SETUP.getPort();

    private TestSmtp() {}

    /**
     * Starts the server, trying again while the port is still held: a test that put its own
     * server on the port in between may have closed it only a moment ago.
     */
    public static void start(GreenMail server) {
        await("GreenMail listening on port " + PORT)
                .atMost(PATIENCE)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .pollInSameThread()
                .until(() -> started(server));
    }

    private static boolean started(GreenMail server) {
        try {
            server.start();
            return true;
        } catch (IllegalStateException notListening) {
            server.stop();
            return false;
        }
    }

    /** The first email the server received for this address; fails the test if there is none. */
    public static MimeMessage receivedBy(MimeMessage[] received, String address) {
        for (MimeMessage message : received) {
            try {
                if (message.getAllRecipients()[0].toString().equals(address)) {
                    return message;
                }
            } catch (MessagingException unreadable) {
                // Not this one.
            }
        }
        throw new AssertionError("no email to " + address);
    }

    /** The HTML part of an email as Kizuna sends it (multipart/alternative: text, then HTML). */
    public static String htmlOf(MimeMessage email) throws Exception {
        return (String) ((Multipart) email.getContent()).getBodyPart(1).getContent();
    }

    private static ServerSetup patient(ServerSetup setup) {
        ServerSetup copy = setup.createCopy();
        copy.setServerStartupTimeout(PATIENCE.toMillis());
        return copy;
    }
}
