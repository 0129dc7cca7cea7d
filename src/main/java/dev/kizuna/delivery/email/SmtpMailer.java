package dev.kizuna.delivery.email;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/** Sends over SMTP with Angus Mail, keeping connections open between messages: one for each sender thread. */
final class SmtpMailer implements Mailer {

    /**
     * A connection idle longer than this is asked whether it still answers (an SMTP NOOP) before
     * it is used: servers close idle connections, typically after a minute or more. One used just
     * now is used as it is, so that a busy sender spends no round trip per email on the check.
     */
    private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final SmtpConfig config;
    private final Session session;
    /** Open connections not in use: one per sender at most, since a sender returns the one it took. */
    private final Deque<Idle> idle = new ConcurrentLinkedDeque<>();

    private record Idle(Transport transport, long since) {}

    SmtpMailer(SmtpConfig config) {
        this.config = config;
        this.session = Session.getInstance(properties(config));
    }

    private static Properties properties(SmtpConfig config) {
        String protocol = config.tls() == SmtpConfig.TlsMode.SMTPS ? "smtps" : "smtp";
        String timeout = Long.toString(config.timeout().toMillis());
        Properties properties = new Properties();
        properties.put("mail.transport.protocol", protocol);
        properties.put("mail." + protocol + ".host", config.host().orElseThrow());
        properties.put("mail." + protocol + ".port", Integer.toString(config.port()));
        properties.put("mail." + protocol + ".connectiontimeout", timeout);
        properties.put("mail." + protocol + ".timeout", timeout);
        properties.put("mail." + protocol + ".writetimeout", timeout);
        properties.put(
                "mail." + protocol + ".auth", Boolean.toString(config.user().isPresent()));
        if (config.tls() == SmtpConfig.TlsMode.STARTTLS) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        if (config.tls() != SmtpConfig.TlsMode.NONE) {
            properties.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        return properties;
    }

    @Override
    public void send(MimeMessage message) throws DeliveryFailure {
        Transport pooled = pooledConnection();
        if (pooled != null) {
            try {
                sendOver(pooled, message);
                return;
            } catch (ConnectionLost lost) {
                // The server closed the idle connection (or restarted) before this email was
                // started on it: the email goes over a new connection instead.
            }
        }
        Transport fresh;
        try {
            fresh = session.getTransport();
            fresh.connect(config.user().orElse(null), config.password().orElse(null));
        } catch (MessagingException e) {
            throw new DeliveryFailure("SMTP server unreachable: " + e.getMessage(), false, e);
        }
        try {
            sendOver(fresh, message);
        } catch (ConnectionLost lost) {
            throw lost.failure;
        }
    }

    /** A connection of its own, opened, signed in and closed: the pooled ones stay with the senders. */
    @Override
    public void checkReachable() throws DeliveryFailure {
        Transport probe;
        try {
            probe = session.getTransport();
            probe.connect(config.user().orElse(null), config.password().orElse(null));
        } catch (MessagingException e) {
            throw new DeliveryFailure("SMTP server unreachable: " + e.getMessage(), false, e);
        }
        close(probe);
    }

    /** A connection that failed rather than a server that answered: the email may go over another. */
    private static final class ConnectionLost extends Exception {

        private final DeliveryFailure failure;

        ConnectionLost(DeliveryFailure failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    private void sendOver(Transport transport, MimeMessage message) throws DeliveryFailure, ConnectionLost {
        boolean reusable = true;
        try {
            transport.sendMessage(message, message.getAllRecipients());
        } catch (SMTPAddressFailedException e) {
            throw new DeliveryFailure(
                    "SMTP " + e.getReturnCode() + ": " + e.getMessage().strip(), e.getReturnCode() >= 500, true, e);
        } catch (SMTPSendFailedException e) {
            throw new DeliveryFailure(
                    "SMTP " + e.getReturnCode() + ": " + e.getMessage().strip(), e.getReturnCode() >= 500, e);
        } catch (SendFailedException e) {
            // Angus reports a refused recipient as "Invalid Addresses" with the server's reply chained.
            SMTPAddressFailedException refused = addressFailure(e);
            if (refused != null) {
                throw new DeliveryFailure(
                        "SMTP " + refused.getReturnCode() + ": "
                                + refused.getMessage().strip(),
                        refused.getReturnCode() >= 500,
                        true,
                        e);
            }
            throw new DeliveryFailure("SMTP refused the message: " + e.getMessage(), false, e);
        } catch (MessagingException | IllegalStateException e) {
            // Connection refused, timeout, dropped connection (Angus says "not connected" for one it
            // knows closed): the server may be back later.
            reusable = false;
            throw new ConnectionLost(new DeliveryFailure("SMTP server unreachable: " + e.getMessage(), false, e));
        } finally {
            if (reusable) {
                idle.push(new Idle(transport, System.nanoTime()));
            } else {
                close(transport);
            }
        }
    }

    private static SMTPAddressFailedException addressFailure(MessagingException failure) {
        for (Exception next = failure;
                next != null;
                next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException refused) {
                return refused;
            }
        }
        return null;
    }

    /** An open connection from the pool: one used just now, or an idle one that still answers; null if none. */
    private Transport pooledConnection() {
        for (Idle pooled = idle.poll(); pooled != null; pooled = idle.poll()) {
            boolean fresh = System.nanoTime() - pooled.since() < CHECK_AFTER_IDLE_NANOS;
            // isConnected() sends the NOOP.
            if (fresh || pooled.transport().isConnected()) {
                return pooled.transport();
            }
            close(pooled.transport());
        }
        return null;
    }

    private static void close(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // The connection is being discarded anyway.
        }
    }

    @Override
    public String destination() {
        return "smtp://" + config.host().orElseThrow() + ":" + config.port();
    }
}
