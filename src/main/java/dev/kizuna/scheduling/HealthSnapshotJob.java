package dev.kizuna.scheduling;

import dev.kizuna.reports.HealthSnapshots;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Keeps the accounts' health on record for its calibration against churn. One instance of the cluster takes each snapshot. */
@ApplicationScoped
public class HealthSnapshotJob {

    private final HealthSnapshots snapshots;

    HealthSnapshotJob(HealthSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    // The schedule and its one default are those of ReportsConfig#healthSnapshotCron ("off" disables it).
    @Scheduled(
            identity = "health-snapshot",
            cron = "{kizuna.reports.health-snapshot-cron}",
            timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void snapshot() {
        snapshots.take();
    }
}
