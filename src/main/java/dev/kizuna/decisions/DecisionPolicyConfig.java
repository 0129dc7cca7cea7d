package dev.kizuna.decisions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.LocalTime;

/** Limits across rules: frequency caps per user and channel, and quiet hours for email. */
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

    /** Start of quiet hours in the recipient's timezone: email decided then waits until the end. */
    @WithDefault("21:00")
    LocalTime quietHoursStart();

    /** End of quiet hours in the recipient's timezone. */
    @WithDefault("08:00")
    LocalTime quietHoursEnd();
}
