package dev.kizuna.decisions;

import dev.kizuna.common.LogContext;
import dev.kizuna.common.RulesConfig;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
    private final RuleCatalog catalog;
    private final Clock clock;
    private final Object wakeUp = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    SweepWorkers(Sweeps sweeps, ScheduleRuns runs, RulesConfig config, RuleCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.sweeps = sweeps;
        this.runs = runs;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Starts a firing of these rules, unless a firing of this id was started before (the same
     * scheduled time fired on another instance, or again after a failure). True if started here.
     * Without rules, the firing is a profile refresh of every account. Called from threads of
     * all kinds (Quartz's, the file watcher's): its reads get a request context of their own.
     */
    @ActivateRequestContext
    public boolean start(String firingId, Collection<String> ruleIds) {
        List<String> audience = audienceOf(ruleIds);
        boolean started = runs.start(firingId, ruleIds, audience, clock.instant());
        if (started) {
            try (LogContext context = LogContext.ofFiring(firingId)) {
                LOG.infof(
                        "firing %s of %s starts over %s",
                        firingId,
                        ruleIds.isEmpty() ? "no rule (profile refresh)" : String.join(", ", ruleIds),
                        audience.isEmpty() ? "every account" : "the members of " + String.join(", ", audience));
            }
            synchronized (wakeUp) {
                wakeUp.notifyAll();
            }
        }
        return started;
    }

    /**
     * The segments that the rules' audiences name, when each rule has one: only their members can
     * be decided for. None, meaning every account, if one of the rules has no audience (or is no
     * longer in force), or if there are no rules.
     */
    private List<String> audienceOf(Collection<String> ruleIds) {
        Set<String> segments = new TreeSet<>();
        for (String ruleId : ruleIds) {
            Optional<Rule> rule = catalog.find(ruleId);
            if (rule.isEmpty() || rule.get().audience().isEmpty()) {
                return List.of();
            }
            segments.addAll(rule.get().audience());
        }
        return List.copyOf(segments);
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
