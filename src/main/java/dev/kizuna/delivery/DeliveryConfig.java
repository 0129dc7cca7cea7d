package dev.kizuna.delivery;

import dev.kizuna.common.Finite;
import dev.kizuna.common.IntervalOrOff;
import dev.kizuna.common.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;

@ConfigMapping(prefix = "kizuna.delivery")
public interface DeliveryConfig {

    /** How often the outbox is checked for due email besides the wake-up after each decision; "off" disables.
     * The outbox poll job's schedule reads this key; this is its only default. */
    @WithDefault("5s")
    @IntervalOrOff
    String pollInterval();

    /** Attempts before a transiently failing email is given up as failed. */
    @WithDefault("8")
    @Min(value = 1, message = "is ${validatedValue}: must be at least {value} (an email is attempted at least once)")
    int maxAttempts();

    /** Delay before the first retry; doubled for each further attempt, with jitter. */
    @WithDefault("30s")
    @PositiveDuration
    Duration retryBackoff();

    /** Emails per second at most, per instance, for SMTP providers that limit the rate; 0 for no limit. */
    @WithDefault("0")
    @PositiveOrZero(message = "is ${validatedValue}: must be 0 or more (emails per second; 0 for no limit)")
    @Finite
    double sendRate();

    /** Emails an instance sends at once, each over its own SMTP connection. */
    @WithDefault("4")
    @Min(
            value = 1,
            message =
                    "is ${validatedValue}: must be at least {value} (it is the number of emails an instance sends at once)")
    int senders();

    /** How long a sender owns the email it claimed before another sender may take it over. */
    @WithDefault("2m")
    @PositiveDuration
    Duration claimTimeout();

    /** How long a due email may wait in the outbox before /q/health/ready calls sending degraded. */
    @WithDefault("10m")
    @PositiveDuration
    Duration backlogWarning();
}
