package dev.kizuna.decisions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.LocalTime;
import java.util.OptionalInt;

/**
 * Limits across rules: frequency caps per user and channel, per account (all its users together)
 * and channel, and quiet hours for email.
 */
@ConfigMapping(prefix = "kizuna.decisions")
public interface DecisionPolicyConfig {

    /** What the caps allow: refused at start-up with the key and its value. */
    String EMAIL_CAP = "is ${validatedValue}: must be at least {value} (a frequency cap; 0 sends no email)";

    String INAPP_CAP = "is ${validatedValue}: must be at least {value} (a frequency cap; 0 shows no nudge)";
    String ACCOUNT_CAP =
            "is ${validatedValue}: must be at least {value} (a frequency cap per account; leave it unset for none)";

    /** Emails a user may get per rolling 24 hours, across all rules. */
    @WithDefault("2")
    @Min(value = 0, message = EMAIL_CAP)
    int emailPerDay();

    /** Emails a user may get per rolling 7 days, across all rules. */
    @WithDefault("5")
    @Min(value = 0, message = EMAIL_CAP)
    int emailPerWeek();

    /** In-app nudges a user may get per rolling 24 hours. */
    @WithDefault("3")
    @Min(value = 0, message = INAPP_CAP)
    int inappPerDay();

    /** In-app nudges a user may get per rolling 7 days. */
    @WithDefault("10")
    @Min(value = 0, message = INAPP_CAP)
    int inappPerWeek();

    /** Emails all the users of an account may get together per rolling 24 hours, across all rules; unset, no cap per account. */
    @Min(value = 0, message = ACCOUNT_CAP)
    OptionalInt accountEmailPerDay();

    /** Emails all the users of an account may get together per rolling 7 days; unset, no cap. */
    @Min(value = 0, message = ACCOUNT_CAP)
    OptionalInt accountEmailPerWeek();

    /** In-app nudges all the users of an account may get together per rolling 24 hours; unset, no cap. */
    @Min(value = 0, message = ACCOUNT_CAP)
    OptionalInt accountInappPerDay();

    /** In-app nudges all the users of an account may get together per rolling 7 days; unset, no cap. */
    @Min(value = 0, message = ACCOUNT_CAP)
    OptionalInt accountInappPerWeek();

    /** Start of quiet hours in the recipient's timezone: email decided then waits until the end. */
    @WithDefault("21:00")
    LocalTime quietHoursStart();

    /** End of quiet hours in the recipient's timezone. */
    @WithDefault("08:00")
    LocalTime quietHoursEnd();
}
