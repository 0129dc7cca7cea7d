package dev.kizuna.scheduling;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.decisions.ScheduleRuns;
import dev.kizuna.decisions.SweepWorkers;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;

/** The firings of a scheduled rule: the latest ones, and one more now, out of schedule. */
@Path("/api/rules/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    private final RuleCatalog catalog;
    private final ScheduleRuns runs;
    private final SweepWorkers sweeps;
    private final AuditLog audit;
    private final Clock clock;

    ScheduleResource(RuleCatalog catalog, ScheduleRuns runs, SweepWorkers sweeps, AuditLog audit, Clock clock) {
        this.catalog = catalog;
        this.runs = runs;
        this.sweeps = sweeps;
        this.audit = audit;
        this.clock = clock;
    }

    public record Started(String rule, String firingId) {}

    /**
     * Fires a scheduled rule now, out of schedule, on its own: a firing like its cron firings,
     * whose pages every instance sweeps, after the firings started before it. Answers at once;
     * the firing shows in {@code runs}.
     */
    @POST
    @Path("/run")
    public Response run(@PathParam("id") String ruleId) {
        scheduled(catalog, ruleId);
        String firingId = ruleId + "@manual-" + clock.instant();
        sweeps.start(firingId, List.of(ruleId));
        audit.record("rules.run", "rule " + ruleId, "firing " + firingId);
        return Response.accepted(new Started(ruleId, firingId)).build();
    }

    @GET
    @Path("/runs")
    public List<ScheduleRuns.Run> runs(@PathParam("id") String ruleId, @QueryParam("limit") @DefaultValue("20") int limit) {
        scheduled(catalog, ruleId);
        if (limit < 1 || limit > 500) {
            throw ProblemException.badField("limit", "must be between 1 and 500");
        }
        return runs.latest(ruleId, limit, clock.instant());
    }

    static void scheduled(RuleCatalog catalog, String ruleId) {
        Rule rule = catalog.find(ruleId).orElseThrow(() -> ProblemException.notFound("no rule '" + ruleId + "' is in force"));
        if (rule.triggerKind() != Rule.TriggerKind.SCHEDULE) {
            throw ProblemException.conflict("rule '" + ruleId + "' is triggered by " + rule.describeTrigger()
                    + ", not by a schedule: it has no firings to run");
        }
    }
}
