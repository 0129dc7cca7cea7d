package dev.kizuna.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "kizuna.security")
public interface AccessConfig {

    /** Calls a second per write key and instance, on average; 0 for no limit. */
    @WithDefault("1000")
    double writeRateLimit();

    /** Calls a second per csm, marketer or admin key and instance, on average; 0 for no limit. */
    @WithDefault("50")
    double apiRateLimit();

    /** How many seconds' worth of calls a key may make at once. */
    @WithDefault("2")
    double burstSeconds();

    /** How long an authenticated key is remembered; a revocation reaches other instances within this time. */
    @WithDefault("10s")
    Duration keyCache();
}
