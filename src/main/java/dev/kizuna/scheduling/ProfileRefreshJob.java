package dev.kizuna.scheduling;

import dev.kizuna.decisions.ProfileRefreshes;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts the profile refresh of every account on its schedule. One instance of the cluster runs
 * each, and the refresh's id is its scheduled time, so it is never started twice; its pages are
 * swept by every instance.
 */
@ApplicationScoped
public class ProfileRefreshJob {

    private final ProfileRefreshes refreshes;

    ProfileRefreshJob(ProfileRefreshes refreshes) {
        this.refreshes = refreshes;
    }

    // The schedule and its one default are those of RulesConfig#profileRefreshCron ("off" disables it).
    @Scheduled(
            identity = "profile-refresh",
            cron = "{kizuna.rules.profile-refresh-cron}",
            timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh(ScheduledExecution execution) {
        refreshes.startScheduled(execution.getScheduledFireTime());
    }
}
