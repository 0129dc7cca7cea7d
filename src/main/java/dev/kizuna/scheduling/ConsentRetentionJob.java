package dev.kizuna.scheduling;

import dev.kizuna.templates.ComplianceConfig;
import dev.kizuna.tracking.Consents;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Nightly: the evidence of consents that no longer stand goes once
 * kizuna.compliance.consent-retention has passed since the last email of their category.
 */
@ApplicationScoped
public class ConsentRetentionJob {

    private static final Logger LOG = Logger.getLogger(ConsentRetentionJob.class);

    private final Consents consents;
    private final ComplianceConfig config;
    private final Clock clock;

    ConsentRetentionJob(Consents consents, ComplianceConfig config, Clock clock) {
        this.consents = consents;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            identity = "consent-retention",
            cron = "0 47 3 * * ?",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void nightly() {
        purge();
    }

    /** Removes the evidence past its retention now; how many records went. */
    public int purge() {
        int removed = consents.purge(cutoff());
        LOG.infof("retention: %d consent records removed", removed);
        return removed;
    }

    /** Evidence whose last email came before this instant is no longer kept: now less the retention, in calendar terms. */
    Instant cutoff() {
        return clock.instant()
                .atOffset(ZoneOffset.UTC)
                .minus(config.consentRetention())
                .toInstant();
    }
}
