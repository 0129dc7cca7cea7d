package dev.kizuna.scheduling;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.decisions.ScheduleRuns;
import dev.kizuna.decisions.SweepWorkers;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Scheduled rules fired now, out of schedule, as someone asks: a firing like the cron firings,
 * whose pages every instance sweeps after the firings started before it; and the latest firings
 * of a rule. Only rules in force that have a schedule can be fired.
 */
@ApplicationScoped
public class ManualFirings {

    /** A firing started: the rules it fires and its id. */
    public record Fired(List<String> rules, String firingId) {}

    private final RuleCatalog catalog;
    private final ScheduleRuns runs;
    private final SweepWorkers sweeps;
    private final AuditLog audit;
    private final Clock clock;

    ManualFirings(RuleCatalog catalog, ScheduleRuns runs, SweepWorkers sweeps, AuditLog audit, Clock clock) {
        this.catalog = catalog;
        this.runs = runs;
        this.sweeps = sweeps;
        this.audit = audit;
        this.clock = clock;
    }

    /** Fires one scheduled rule on its own; answers the firing's id at once. */
    public String fire(String ruleId) {
        scheduled(ruleId);
        String firingId = ruleId + "@manual-" + clock.instant();
        sweeps.start(firingId, List.of(ruleId));
        audit.record("rules.run", "rule " + ruleId, "firing " + firingId);
        return firingId;
    }

    /**
     * Fires several scheduled rules together: one firing, one pass over the accounts for all of
     * them, as when they come due at the same time. A rule named twice is fired once.
     */
    public Fired fireTogether(List<String> ruleIds) {
        LinkedHashSet<String> rules = new LinkedHashSet<>();
        for (int i = 0; i < ruleIds.size(); i++) {
            String ruleId = ruleIds.get(i);
            if (ruleId == null || ruleId.isBlank()) {
                throw ProblemException.badField("rules[" + i + "]", "must be a rule id");
            }
            scheduled(ruleId);
            rules.add(ruleId);
        }
        String firingId = "manual@" + clock.instant();
        sweeps.start(firingId, rules);
        audit.record("rules.run", "rules " + String.join(", ", rules), "firing " + firingId);
        return new Fired(List.copyOf(rules), firingId);
    }

    /** The latest {@code limit} firings of a scheduled rule, newest first. */
    public List<ScheduleRuns.Run> latest(String ruleId, int limit) {
        scheduled(ruleId);
        return runs.latest(ruleId, limit, clock.instant());
    }

    private void scheduled(String ruleId) {
        Rule rule = catalog.find(ruleId)
                .orElseThrow(() -> ProblemException.notFound("no rule '" + ruleId + "' is in force"));
        if (rule.triggerKind() != Rule.TriggerKind.SCHEDULE) {
            throw ProblemException.conflict("rule '" + ruleId + "' is triggered by " + rule.describeTrigger()
                    + ", not by a schedule: it has no firings to run");
        }
    }
}
