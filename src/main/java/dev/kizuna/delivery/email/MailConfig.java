package dev.kizuna.delivery.email;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "kizuna.mail")
public interface MailConfig {

    /** The default sender, e.g. "Acme Onboarding <onboarding@acme.example>" (KIZUNA_MAIL_FROM). */
    @WithDefault("Kizuna <kizuna@localhost>")
    String from();

    /** Where mail goes as .eml files when no SMTP host is set (KIZUNA_MAIL_CAPTURE_DIR). */
    @WithDefault("data/mail")
    Path captureDir();
}
