package dev.kizuna.tracking;

import dev.kizuna.common.HttpAddress;
import dev.kizuna.common.PositiveDuration;
import dev.kizuna.common.SecretLength;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The public links in emails: open pixel, click redirect and unsubscribe. */
@ConfigMapping(prefix = "kizuna.links")
public interface LinksConfig {

    /**
     * Where recipients reach Kizuna's public endpoints, e.g. https://kizuna.example.com
     * (KIZUNA_LINKS_BASE_URL). Mailbox providers require HTTPS for one-click unsubscribe.
     */
    @HttpAddress(
            message = "is ${validatedValue}: must be the http or https address recipients reach Kizuna at, "
                    + "e.g. https://kizuna.example.com")
    String baseUrl();

    /** The key that signs link tokens; at least 32 characters, the same on every instance (KIZUNA_LINKS_SECRET). */
    @SecretLength(min = 32, message = "has {length} characters: it needs at least {min} to sign links safely")
    String secret();

    /** How long open and click links work after the message was decided. */
    @WithDefault("180d")
    @PositiveDuration
    Duration trackingTtl();

    /** How long an unsubscribe link works after the message was decided. */
    @WithDefault("400d")
    @PositiveDuration
    Duration unsubscribeTtl();

    /** Whether emails carry an open pixel. */
    @WithDefault("true")
    boolean trackOpens();

    /** Whether links in the HTML part go through the click redirect. */
    @WithDefault("true")
    boolean trackClicks();
}
