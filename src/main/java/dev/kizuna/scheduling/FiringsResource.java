package dev.kizuna.scheduling;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.decisions.SweepWorkers;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.rules.RuleCatalog;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Several scheduled rules fired now, together: one firing, one pass over the accounts for all
 * of them, as when they come due at the same time.
 */
@Path("/api/rules/run")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FiringsResource {

    private final RuleCatalog catalog;
    private final SweepWorkers sweeps;
    private final AuditLog audit;
    private final Clock clock;

    FiringsResource(RuleCatalog catalog, SweepWorkers sweeps, AuditLog audit, Clock clock) {
        this.catalog = catalog;
        this.sweeps = sweeps;
        this.audit = audit;
        this.clock = clock;
    }

    /** The rules to fire together, by id. */
    public record Request(List<String> rules) {}

    public record Started(List<String> rules, String firingId) {}

    @POST
    public Response run(Request request) {
        if (request == null || request.rules() == null || request.rules().isEmpty()) {
            throw ProblemException.badField("rules", "name at least one scheduled rule, e.g. {\"rules\": [\"weekly-onboarding-checkin\"]}");
        }
        LinkedHashSet<String> rules = new LinkedHashSet<>();
        for (int i = 0; i < request.rules().size(); i++) {
            String ruleId = request.rules().get(i);
            if (ruleId == null || ruleId.isBlank()) {
                throw ProblemException.badField("rules[" + i + "]", "must be a rule id");
            }
            ScheduleResource.scheduled(catalog, ruleId);
            rules.add(ruleId);
        }
        String firingId = "manual@" + clock.instant();
        sweeps.start(firingId, rules);
        audit.record("rules.run", "rules " + String.join(", ", rules), "firing " + firingId);
        return Response.accepted(new Started(List.copyOf(rules), firingId)).build();
    }
}
