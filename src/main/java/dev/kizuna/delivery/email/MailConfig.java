package dev.kizuna.delivery.email;

import dev.kizuna.common.MailboxAddress;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "kizuna.mail")
public interface MailConfig {

    /** The default sender, e.g. "Acme Onboarding <onboarding@acme.example>" (KIZUNA_MAIL_FROM). */
    @WithDefault("Kizuna Onboarding <onboarding@kizuna.example>")
    @MailboxAddress
    String from();

    /** Where mail goes as .eml files when no SMTP host is set (KIZUNA_MAIL_CAPTURE_DIR). */
    @WithDefault("data/mail")
    Path captureDir();

    /**
     * Who sends the emails, as the law of the recipient's country asks a commercial email to say
     * (Japan's 特定電子メール法, CAN-SPAM): templates read it as {@code sender.name},
     * {@code sender.postal_address} and {@code sender.contact}.
     */
    Sender sender();

    interface Sender {

        /** The sender's name (送信者の氏名又は名称). */
        Optional<String> name();

        /** The sender's postal address (住所). */
        Optional<String> postalAddress();

        /** A phone number, email address or URL for complaints and enquiries (苦情・問合せ先). */
        Optional<String> contact();

        /** The same in a language's words, by language code (kizuna.mail.sender.locales.ja.name): each key given replaces the default's. */
        Map<String, LocalSender> locales();
    }

    interface LocalSender {
        Optional<String> name();

        Optional<String> postalAddress();

        Optional<String> contact();
    }
}
