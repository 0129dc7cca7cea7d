package dev.kizuna.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "kizuna.delivery")
public interface DeliveryConfig {

    /** How often the outbox is checked for due email besides the wake-up after each decision; "off" disables.
     * The outbox poll job's schedule reads this key; this is its only default. */
    @WithDefault("5s")
    String pollInterval();

    /** Attempts before a transiently failing email is given up as failed. */
    @WithDefault("8")
    int maxAttempts();

    /** Delay before the first retry; doubled for each further attempt, with jitter. */
    @WithDefault("30s")
    Duration retryBackoff();

    /** Emails per second at most, per instance, for SMTP providers that limit the rate; 0 for no limit. */
    @WithDefault("0")
    double sendRate();

    /** Emails an instance sends at once, each over its own SMTP connection. */
    @WithDefault("4")
    int senders();

    /** How long a sender owns the email it claimed before another sender may take it over. */
    @WithDefault("2m")
    Duration claimTimeout();

    /** How long a due email may wait in the outbox before /q/health/ready calls sending degraded. */
    @WithDefault("10m")
    Duration backlogWarning();
}
