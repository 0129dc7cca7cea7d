package dev.kizuna.scheduling;

import dev.kizuna.ingest.EventLog;
import dev.kizuna.ingest.EventPartitions;
import dev.kizuna.ingest.IngestConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Nightly: raw events past their retention and messageIds past the de-duplication window go; on
 * PostgreSQL the day partitions of the coming days are made ready.
 */
@ApplicationScoped
public class EventRetentionJob {

    private static final Logger LOG = Logger.getLogger(EventRetentionJob.class);

    private final EventLog events;
    private final EventPartitions partitions;
    private final IngestConfig config;
    private final Clock clock;

    EventRetentionJob(EventLog events, EventPartitions partitions, IngestConfig config, Clock clock) {
        this.events = events;
        this.partitions = partitions;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            identity = "event-retention",
            cron = "0 17 3 * * ?",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        Instant now = clock.instant();
        partitions.prepareAhead(now);
        // The dedupe window is at least 7 days: IngestConfig refuses to start with less.
        long removed = events.purge(now.minus(config.eventRetention()), now.minus(config.dedupeWindow()));
        LOG.infof("retention: %d raw events removed", removed);
    }
}
