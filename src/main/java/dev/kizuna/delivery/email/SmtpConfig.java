package dev.kizuna.delivery.email;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "kizuna.smtp")
public interface SmtpConfig {

    /** The SMTP server; without one, mail is captured as .eml files (KIZUNA_SMTP_HOST). */
    Optional<String> host();

    @WithDefault("587")
    int port();

    Optional<String> user();

    Optional<String> password();

    /** none, starttls (upgrade required) or smtps (TLS from the first byte). */
    @WithDefault("none")
    TlsMode tls();

    @WithDefault("10s")
    Duration timeout();

    enum TlsMode {
        NONE,
        STARTTLS,
        SMTPS
    }
}
