package dev.kizuna.security;

import dev.kizuna.common.Finite;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

@ConfigMapping(prefix = "kizuna.security")
public interface AccessConfig {

    /** What the rate limits allow: refused at start-up with the key and its value. */
    String RATE = "is ${validatedValue}: must be 0 or more (calls per second; 0 for no limit)";

    /** Calls a second per write key and instance, on average; 0 for no limit. */
    @WithDefault("1000")
    @PositiveOrZero(message = RATE)
    @Finite
    double writeRateLimit();

    /** Calls a second per csm, marketer or admin key and instance, on average; 0 for no limit. */
    @WithDefault("50")
    @PositiveOrZero(message = RATE)
    @Finite
    double apiRateLimit();

    /** How many seconds' worth of calls a key may make at once. */
    @WithDefault("2")
    @Positive(message = "is ${validatedValue}: must be more than 0 (seconds' worth of calls a key may make at once)")
    @Finite
    double burstSeconds();

    /** How long an authenticated key is remembered; a revocation reaches other instances within this time. */
    @WithDefault("10s")
    @DurationMin(message = "is ${validatedValue}: must be 0 or more")
    Duration keyCache();
}
