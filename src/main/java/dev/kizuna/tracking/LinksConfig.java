package dev.kizuna.tracking;

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
    String baseUrl();

    /** The key that signs link tokens; at least 32 characters, the same on every instance (KIZUNA_LINKS_SECRET). */
    String secret();

    /** How long open and click links work after the message was decided. */
    @WithDefault("180d")
    Duration trackingTtl();

    /** How long an unsubscribe link works after the message was decided. */
    @WithDefault("400d")
    Duration unsubscribeTtl();

    /** Whether emails carry an open pixel. */
    @WithDefault("true")
    boolean trackOpens();

    /** Whether links in the HTML part go through the click redirect. */
    @WithDefault("true")
    boolean trackClicks();
}
