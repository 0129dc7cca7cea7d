package dev.kizuna.delivery.email;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/** Sends over SMTP with Angus Mail, keeping one connection open between messages. */
final class SmtpMailer implements Mailer {

    private final SmtpConfig config;
    private final Session session;
    private Transport transport;

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
        properties.put("mail." + protocol + ".auth", Boolean.toString(config.user().isPresent()));
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
    public synchronized void send(MimeMessage message) throws DeliveryFailure {
        try {
            Transport connected = connected();
            connected.sendMessage(message, message.getAllRecipients());
        } catch (SMTPAddressFailedException e) {
            throw new DeliveryFailure("SMTP " + e.getReturnCode() + ": " + e.getMessage().strip(), e.getReturnCode() >= 500, true, e);
        } catch (SMTPSendFailedException e) {
            throw new DeliveryFailure("SMTP " + e.getReturnCode() + ": " + e.getMessage().strip(), e.getReturnCode() >= 500, e);
        } catch (SendFailedException e) {
            // Angus reports a refused recipient as "Invalid Addresses" with the server's reply chained.
            SMTPAddressFailedException refused = addressFailure(e);
            if (refused != null) {
                throw new DeliveryFailure("SMTP " + refused.getReturnCode() + ": " + refused.getMessage().strip(),
                        refused.getReturnCode() >= 500, true, e);
            }
            throw new DeliveryFailure("SMTP refused the message: " + e.getMessage(), false, e);
        } catch (MessagingException e) {
            // Connection refused, timeout, dropped connection: the server may be back later.
            close();
            throw new DeliveryFailure("SMTP server unreachable: " + e.getMessage(), false, e);
        }
    }

    private static SMTPAddressFailedException addressFailure(MessagingException failure) {
        for (Exception next = failure; next != null; next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException refused) {
                return refused;
            }
        }
        return null;
    }

    private Transport connected() throws MessagingException {
        if (transport == null || !transport.isConnected()) {
            close();
            transport = session.getTransport();
            transport.connect(config.user().orElse(null), config.password().orElse(null));
        }
        return transport;
    }

    private void close() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // The connection is being discarded anyway.
            }
            transport = null;
        }
    }

    @Override
    public String destination() {
        return "smtp://" + config.host().orElseThrow() + ":" + config.port();
    }
}
