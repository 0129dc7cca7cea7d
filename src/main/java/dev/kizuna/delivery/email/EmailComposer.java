package dev.kizuna.delivery.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/** Builds the MIME message: multipart/alternative with a UTF-8 text part and HTML part. */
@ApplicationScoped
public class EmailComposer {

    private static final String UTF_8 = StandardCharsets.UTF_8.name();

    private final MailConfig config;
    private final Clock clock;
    private final Session session = Session.getInstance(new Properties());

    EmailComposer(MailConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * An email ready to send; a recipient or sender that is not an address is a permanent failure.
     * No value from data can add a header: addresses with control characters are refused and line
     * breaks in the subject become spaces.
     */
    public MimeMessage compose(OutgoingEmail email) throws DeliveryFailure {
        try {
            MimeMessage message = new FixedIdMimeMessage(session, email.messageId());
            message.setFrom(address(email.from() == null || email.from().isBlank() ? config.from() : email.from()));
            message.setRecipient(MimeMessage.RecipientType.TO, address(email.to()));
            message.setSubject(singleLine(email.subject()), UTF_8);
            message.setSentDate(Date.from(clock.instant()));
            if (email.unsubscribeUrl() != null) {
                // RFC 2369 and RFC 8058: mailbox providers show an unsubscribe button that POSTs to this URL.
                message.setHeader("List-Unsubscribe", "<" + singleLine(email.unsubscribeUrl()) + ">");
                message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
            String html = email.html();
            String text = email.text();

            MimeBodyPart textPart = new MimeBodyPart();
            textPart.setText(text, UTF_8, "plain");
            MimeBodyPart htmlPart = new MimeBodyPart();
            htmlPart.setText(html, UTF_8, "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart);
            alternative.addBodyPart(htmlPart);
            message.setContent(alternative);
            message.saveChanges();
            return message;
        } catch (AddressException e) {
            throw new DeliveryFailure("invalid address: " + e.getMessage(), true, e);
        } catch (MessagingException e) {
            throw new DeliveryFailure("email cannot be composed: " + e.getMessage(), true, e);
        }
    }

    private static InternetAddress address(String value) throws AddressException {
        if (value == null || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new AddressException("'" + singleLine(String.valueOf(value)) + "' contains a line break or control character");
        }
        return new InternetAddress(value, true);
    }

    /** The value on one line: each run of CR, LF and other control characters becomes one space. */
    static String singleLine(String value) {
        return value.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]+", " ").strip();
    }

    /** The domain of the sender address, used in Message-IDs. */
    public String senderDomain() {
        try {
            String address = new InternetAddress(config.from(), true).getAddress();
            return address.substring(address.indexOf('@') + 1);
        } catch (AddressException e) {
            return "kizuna.invalid";
        }
    }

    /** Keeps the Message-ID Kizuna chose, so that every retry of a message carries the same one. */
    private static final class FixedIdMimeMessage extends MimeMessage {
        private final String messageId;

        FixedIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
