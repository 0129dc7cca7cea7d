package dev.kizuna.decisions;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

/**
 * A firing of scheduled rules (or, without rules, a profile refresh), started and swept to its end
 * on the test's thread (the instance's own sweepers may take pages too).
 */
public final class Firings {

    private Firings() {}

    public static void runToEnd(
            SweepWorkers workers, Sweeps sweeps, ScheduleRuns runs, String firingId, String... rules) {
        workers.start(firingId, List.of(rules));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    while (sweeps.sweepNextPage("test").isPresent()) {
                        // every page this thread can claim
                    }
                    return runs.finished(firingId);
                });
    }
}
