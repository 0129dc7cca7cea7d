package dev.kizuna.decisions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.LocalTime;
import java.util.OptionalInt;

/**
 * Limits across rules: frequency caps per user and channel, per account (all its users together)
 * and channel, and quiet hours for email.
 */
@ConfigMapping(prefix = "kizuna.decisions")
public interface DecisionPolicyConfig {

    /** Emails a user may get per rolling 24 hours, across all rules. */
    @WithDefault("2")
    int emailPerDay();

    /** Emails a user may get per rolling 7 days, across all rules. */
    @WithDefault("5")
    int emailPerWeek();

    /** In-app nudges a user may get per rolling 24 hours. */
    @WithDefault("3")
    int inappPerDay();

    /** In-app nudges a user may get per rolling 7 days. */
    @WithDefault("10")
    int inappPerWeek();

    /** Emails all the users of an account may get together per rolling 24 hours, across all rules; unset, no cap per account. */
    OptionalInt accountEmailPerDay();

    /** Emails all the users of an account may get together per rolling 7 days; unset, no cap. */
    OptionalInt accountEmailPerWeek();

    /** In-app nudges all the users of an account may get together per rolling 24 hours; unset, no cap. */
    OptionalInt accountInappPerDay();

    /** In-app nudges all the users of an account may get together per rolling 7 days; unset, no cap. */
    OptionalInt accountInappPerWeek();

    /** Start of quiet hours in the recipient's timezone: email decided then waits until the end. */
    @WithDefault("21:00")
    LocalTime quietHoursStart();

    /** End of quiet hours in the recipient's timezone. */
    @WithDefault("08:00")
    LocalTime quietHoursEnd();
}
