package dev.kizuna.scheduling;

import dev.kizuna.decisions.Sweeps;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Fires the due clocks of "after" and inactivity rules. One instance of the cluster runs each poll. */
@ApplicationScoped
public class TimerSweepJob {

    private final Sweeps sweeps;

    TimerSweepJob(Sweeps sweeps) {
        this.sweeps = sweeps;
    }

    // The interval and its one default are those of RulesConfig#timerPoll, validated there at start-up.
    @Scheduled(
            identity = "timer-sweep",
            every = "{kizuna.rules.timer-poll}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        sweeps.runDueTimers();
    }
}
