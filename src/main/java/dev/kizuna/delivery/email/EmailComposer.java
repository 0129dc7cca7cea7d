package dev.kizuna.delivery.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.StreamProvider;
import java.io.UnsupportedEncodingException;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.util.MailStreamProvider;

/** Builds the MIME message: multipart/alternative with a UTF-8 text part and HTML part. */
@ApplicationScoped
public class EmailComposer {

    private static final String UTF_8 = StandardCharsets.UTF_8.name();

    static {
        // Jakarta Mail looks up its stream provider with a ServiceLoader for every body part it
        // creates or writes, unless the provider is named as a system property: then it is found
        // by name. The lookups took a third of the senders' time.
        String streamProvider = StreamProvider.class.getName();
        if (System.getProperty(streamProvider) == null) {
            System.setProperty(streamProvider, MailStreamProvider.class.getName());
        }
    }

    private final MailConfig config;
    private final Clock clock;
    private final Session session = Session.getInstance(new Properties());

    EmailComposer(MailConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** The sender an email goes out with: the template's own {@code from:}, else {@code kizuna.mail.from}. */
    public String sender(String templateFrom) {
        return templateFrom == null || templateFrom.isBlank() ? config.from() : templateFrom;
    }

    /**
     * An email ready to send; a recipient or sender that is not an address is a permanent failure.
     * No value from data can add a header: addresses with control characters are refused and line
     * breaks in the subject become spaces. Every header is ASCII: names and the subject are
     * RFC 2047 encoded words, since servers need not accept raw UTF-8 (SMTPUTF8) in headers.
     */
    public MimeMessage compose(OutgoingEmail email) throws DeliveryFailure {
        try {
            MimeMessage message = new FixedIdMimeMessage(session, email.messageId());
            message.setFrom(address(sender(email.from())));
            message.setRecipient(MimeMessage.RecipientType.TO, address(email.to()));
            message.setSubject(singleLine(email.subject()), UTF_8);
            message.setSentDate(Date.from(clock.instant()));
            if (email.unsubscribeUrl() != null) {
                // RFC 2369 and RFC 8058: mailbox providers show an unsubscribe button that POSTs to this URL.
                message.setHeader("List-Unsubscribe", "<" + asciiUrl(singleLine(email.unsubscribeUrl())) + ">");
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

    /**
     * The address as it goes into a header: the name in RFC 2047 encoded words and the domain in
     * its ASCII (punycode) form. A local part beyond ASCII would need SMTPUTF8, so it is refused.
     */
    private static InternetAddress address(String value) throws AddressException {
        if (value == null || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new AddressException(
                    "'" + singleLine(String.valueOf(value)) + "' contains a line break or control character");
        }
        InternetAddress parsed = new InternetAddress(value, true);
        String mailbox = parsed.getAddress();
        int at = mailbox.lastIndexOf('@');
        String localPart = mailbox.substring(0, at);
        if (!isAscii(localPart)) {
            throw new AddressException(
                    "'" + value + "' has characters beyond ASCII before the @, which mail servers need not accept");
        }
        String domain;
        try {
            domain = IDN.toASCII(mailbox.substring(at + 1), IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new AddressException(
                    "'" + value + "' has a domain that cannot be written in ASCII: " + e.getMessage());
        }
        try {
            // Parsing keeps the name as written; setting it again with a charset makes it encoded words when needed.
            return new InternetAddress(localPart + "@" + domain, parsed.getPersonal(), UTF_8);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** The URL with any character beyond ASCII percent-encoded, as a header needs it. */
    private static String asciiUrl(String url) throws MessagingException {
        try {
            return new URI(url).toASCIIString();
        } catch (URISyntaxException e) {
            throw new MessagingException("the unsubscribe URL is not a URL: " + e.getMessage());
        }
    }

    private static boolean isAscii(String value) {
        return value.chars().allMatch(c -> c < 0x80);
    }

    /** The value on one line: each run of CR, LF and other control characters becomes one space. */
    static String singleLine(String value) {
        return value.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]+", " ").strip();
    }

    /** The domain of the sender address, used in Message-IDs. */
    public String senderDomain() {
        try {
            String address = address(config.from()).getAddress();
            return address.substring(address.lastIndexOf('@') + 1);
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
