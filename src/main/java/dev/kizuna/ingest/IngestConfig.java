package dev.kizuna.ingest;

import dev.kizuna.common.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

@ConfigMapping(prefix = "kizuna.ingest")
public interface IngestConfig {

    /** How long a messageId is remembered, so that a retry has no second effect (at least 7 days). */
    @WithDefault("8d")
    @DurationMin(
            days = 7,
            message = "is ${validatedValue}: must be at least 7d "
                    + "(Segment libraries retry a call for up to a week, and a retry must find its messageId)")
    Duration dedupeWindow();

    /** How long raw events are kept for timelines and reprocessing. */
    @WithDefault("400d")
    @PositiveDuration
    Duration eventRetention();

    /**
     * How far processing may fall behind acknowledging: past this age of the oldest waiting call,
     * /v1 answers 503 with Retry-After instead of letting the backlog grow without limit.
     */
    @WithDefault("60s")
    @PositiveDuration
    Duration maxLag();

    /** How long a call sent with ?wait=decided waits for its decisions before it is answered 202. */
    @WithDefault("30s")
    @PositiveDuration
    Duration waitTimeout();

    Processor processor();

    /** The stage behind the log that applies acknowledged calls. */
    interface Processor {

        /** Whether this instance processes its share of the log's partitions; off for an instance that only acknowledges. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Calls applied in one transaction, at most: the processor takes what is waiting, so a
         * batch is this large only behind a backlog, where larger batches share their fixed costs.
         */
        @WithDefault("500")
        @Min(value = 1, message = "is ${validatedValue}: must be at least {value} (calls applied in one transaction)")
        int batchSize();

        /** How long an instance holds a partition of the log without renewing; after that another instance takes it over. */
        @WithDefault("15s")
        @PositiveDuration
        Duration lease();

        /** How often an idle processor looks for calls acknowledged by other instances. */
        @WithDefault("100ms")
        @PositiveDuration
        Duration pollInterval();
    }
}
