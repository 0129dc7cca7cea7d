package dev.kizuna.decisions;

import dev.kizuna.segments.ProfileCatalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Profile refreshes: firings without rules that recompute every account's profile, so that
 * segments, health and lifecycle which time alone changes are up to date, and segment triggers
 * fire for them. Scheduled firings with audiences page over stored memberships, which are
 * therefore as fresh as the last refresh or the account's last event. A refresh is started on
 * schedule, on request and whenever the definitions of segments, activation or health change.
 */
@ApplicationScoped
public class ProfileRefreshes {

    private static final String FIRING_PREFIX = "profiles@";

    private final SweepWorkers workers;
    private final ScheduleRuns runs;
    private final ProfileCatalog definitions;
    private final Clock clock;

    ProfileRefreshes(SweepWorkers workers, ScheduleRuns runs, ProfileCatalog definitions, Clock clock) {
        this.workers = workers;
        this.runs = runs;
        this.definitions = definitions;
        this.clock = clock;
    }

    void watchDefinitions(@Observes StartupEvent startup) {
        definitions.onChange(this::startForDefinitions);
    }

    /**
     * Starts the refresh for definitions that changed. Every instance that loads the change
     * calls this; within the same minute they name the same refresh (the minute and the files'
     * digest), so it is started once. Returns its firing id.
     */
    String startForDefinitions(String digest) {
        return start(clock.instant().truncatedTo(ChronoUnit.MINUTES) + "/definitions-" + digest);
    }

    /**
     * Starts the refresh scheduled at this time, unless it was started before (by another
     * instance, or by an earlier attempt): its id is the time. Returns its firing id.
     */
    public String startScheduled(Instant due) {
        return start(due.toString());
    }

    /** Starts a refresh now, out of schedule; its id is its own even if another starts at the same instant. */
    public String startNow() {
        return start(clock.instant() + "/" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A refresh is a firing without rules; its id is the prefix and what names it. */
    private String start(String name) {
        String firingId = FIRING_PREFIX + name;
        workers.start(firingId, List.of());
        return firingId;
    }

    /** The latest {@code limit} refreshes, newest first, with their progress. */
    public List<ScheduleRuns.Run> latest(int limit) {
        return runs.latestRefreshes(limit, clock.instant());
    }
}
