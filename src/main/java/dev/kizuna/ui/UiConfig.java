package dev.kizuna.ui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The web UI under /ui. */
@ConfigMapping(prefix = "kizuna.ui")
public interface UiConfig {

    /** How long a sign-in lasts; the key is still checked on every page, so revoking it ends the session sooner. */
    @WithDefault("8h")
    Duration sessionTtl();
}
