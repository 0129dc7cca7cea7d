package dev.kizuna.decisions;

import dev.kizuna.common.LogContext;
import dev.kizuna.common.RulesConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The threads of this instance that sweep pages of firings. Every instance runs them, so a
 * firing is shared by all instances up, and one started anywhere is found here within a second.
 */
@ApplicationScoped
public class SweepWorkers {

    private static final Logger LOG = Logger.getLogger(SweepWorkers.class);
    private static final Duration IDLE_LOOK = Duration.ofSeconds(1);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(5);
    /** Names this instance in the pages it swept ("pid@host"). */
    private static final String INSTANCE = ManagementFactory.getRuntimeMXBean().getName();

    private final Sweeps sweeps;
    private final ScheduleRuns runs;
    private final RulesConfig config;
    private final Clock clock;
    private final Object wakeUp = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    SweepWorkers(Sweeps sweeps, ScheduleRuns runs, RulesConfig config, Clock clock) {
        this.sweeps = sweeps;
        this.runs = runs;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Starts a firing of these rules, unless a firing of this id was started before (the same
     * scheduled time fired on another instance, or again after a failure). True if started here.
     */
    public boolean start(String firingId, Collection<String> ruleIds) {
        boolean started = runs.start(firingId, ruleIds, clock.instant());
        if (started) {
            try (LogContext context = LogContext.ofFiring(firingId)) {
                LOG.infof("firing %s of %s starts", firingId, String.join(", ", ruleIds));
            }
            synchronized (wakeUp) {
                wakeUp.notifyAll();
            }
        }
        return started;
    }

    void begin(@Observes StartupEvent startup) {
        running = true;
        for (int i = 1; i <= config.sweepWorkers(); i++) {
            String name = INSTANCE + "#" + i;
            Thread thread = new Thread(() -> work(name), "kizuna-sweep-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Lets the pages in hand finish: a page stopped half-way would be swept again elsewhere, but costs time. */
    void end(@Observes ShutdownEvent shutdown) {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void work(String name) {
        while (running) {
            Duration pause = IDLE_LOOK;
            try {
                if (sweeps.sweepNextPage(name).isPresent()) {
                    continue;
                }
            } catch (RuntimeException e) {
                LOG.warnf(
                        "sweeping pages failed (%s); trying again in %d s", e.getMessage(), AFTER_FAILURE.toSeconds());
                pause = AFTER_FAILURE;
            }
            synchronized (wakeUp) {
                if (!running) {
                    return;
                }
                try {
                    wakeUp.wait(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
