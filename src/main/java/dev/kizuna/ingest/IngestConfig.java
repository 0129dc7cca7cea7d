package dev.kizuna.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "kizuna.ingest")
public interface IngestConfig {

    /** How long a messageId is remembered, so that a retry has no second effect (at least 7 days). */
    @WithDefault("8d")
    Duration dedupeWindow();

    /** How long raw events are kept for timelines and reprocessing. */
    @WithDefault("400d")
    Duration eventRetention();
}
