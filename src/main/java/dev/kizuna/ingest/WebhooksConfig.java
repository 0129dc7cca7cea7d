package dev.kizuna.ingest;

import dev.kizuna.common.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Systems that send events as signed webhooks instead of with a write key (billing, support desk, ...). */
@ConfigMapping(prefix = "kizuna.webhooks")
public interface WebhooksConfig {

    /** By source name: kizuna.webhooks.sources.billing.secret=whsec_... (base64 after the prefix). */
    Map<String, Source> sources();

    /** How far a webhook's timestamp may be from now, either way, against replays. */
    @WithDefault("5m")
    @PositiveDuration
    Duration tolerance();

    interface Source {
        String secret();
    }
}
