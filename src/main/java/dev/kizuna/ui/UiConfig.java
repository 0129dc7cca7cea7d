package dev.kizuna.ui;

import dev.kizuna.common.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The web UI under /ui. */
@ConfigMapping(prefix = "kizuna.ui")
public interface UiConfig {

    /** How long a sign-in lasts at most; signing out ends it sooner, and so does revoking its key (checked on every page). */
    @WithDefault("8h")
    @PositiveDuration
    Duration sessionTtl();
}
