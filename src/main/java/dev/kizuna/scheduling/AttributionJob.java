package dev.kizuna.scheduling;

import dev.kizuna.reports.Attribution;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Follows the goals of recent messages periodically. One instance of the cluster runs each pass. */
@ApplicationScoped
public class AttributionJob {

    private final Attribution attribution;

    AttributionJob(Attribution attribution) {
        this.attribution = attribution;
    }

    // The interval and its one default are those of ReportsConfig#attributionInterval, validated there at start-up.
    @Scheduled(
            identity = "attribution",
            every = "{kizuna.reports.attribution-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void attribute() {
        attribution.run();
    }
}
