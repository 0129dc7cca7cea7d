package dev.kizuna.delivery.email;

import dev.kizuna.common.IntervalOrOff;
import dev.kizuna.common.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "kizuna.smtp")
@SmtpCredentials
public interface SmtpConfig {

    /** What port allows, for both of its bounds. */
    String PORT_RANGE = "is ${validatedValue}: must be from 1 to 65535 (a TCP port)";

    /** The SMTP server; without one, mail is captured as .eml files (KIZUNA_SMTP_HOST). */
    Optional<String> host();

    @WithDefault("587")
    @Min(value = 1, message = PORT_RANGE)
    @Max(value = 65535, message = PORT_RANGE)
    int port();

    Optional<String> user();

    Optional<String> password();

    /** none, starttls (upgrade required) or smtps (TLS from the first byte). */
    @WithDefault("none")
    TlsMode tls();

    @WithDefault("10s")
    @PositiveDuration
    Duration timeout();

    /** How often the mail server is checked for /q/health/ready (a connection opened and closed); "off" disables.
     * The check's schedule reads this key; this is its only default. */
    @WithName("health-interval")
    @WithDefault("60s")
    @IntervalOrOff
    String healthInterval();

    enum TlsMode {
        NONE,
        STARTTLS,
        SMTPS
    }
}
