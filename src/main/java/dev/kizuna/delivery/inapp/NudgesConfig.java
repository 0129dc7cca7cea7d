package dev.kizuna.delivery.inapp;

import dev.kizuna.common.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "kizuna.nudges")
public interface NudgesConfig {

    /**
     * How often open nudge streams look in the database for nudges they have not sent: those
     * decided on another instance sharing the database arrive within this time.
     */
    @WithDefault("2s")
    @PositiveDuration
    Duration streamCheckInterval();
}
