package dev.kizuna.api;

import dev.kizuna.decisions.Explainer;
import dev.kizuna.decisions.ScheduleRuns;
import dev.kizuna.decisions.SequenceEntries;
import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.scheduling.ManualFirings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Everything under /api/rules: the rules in force and the problems of their files, a rule file
 * checked before it is loaded, a rule simulated for a hypothetical event, a sequence's funnel, and
 * scheduled rules fired now with their latest firings.
 *
 * <p>It lives in its own edge package, beside the UI and the scheduled jobs, because one address
 * tree reaches into rules, decisions and scheduling; none of those packages may depend on another
 * edge, and an edge may depend on them all.
 */
@Path("/api/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    private final RulesInForce rules;
    private final Explainer explainer;
    private final ManualFirings firings;

    RulesResource(RulesInForce rules, Explainer explainer, ManualFirings firings) {
        this.rules = rules;
        this.explainer = explainer;
        this.firings = firings;
    }

    /** The outcome of validating a rule file's text. */
    public record Validation(boolean valid, List<Violation> problems) {}

    /** What a simulation is about: an account, optionally one user, and for event rules the event. */
    public record Simulation(String accountId, String userId, String event, Map<String, Object> properties) {}

    /** The rules to fire together, by id. */
    public record Firing(List<String> rules) {}

    /** A rule fired on its own. */
    public record Started(String rule, String firingId) {}

    @GET
    public RulesInForce.RuleList list() {
        return rules.list();
    }

    @POST
    @Path("/reload")
    public RulesInForce.RuleList reload() {
        return rules.reload();
    }

    /** Validates a rule file sent as the body (YAML), as if it were in the rules folder; nothing is loaded. */
    @POST
    @Path("/validate")
    @Consumes({"application/yaml", "text/yaml", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    public Validation validate(@QueryParam("file") @DefaultValue("rule.yaml") String file, String content) {
        if (!file.matches("[A-Za-z0-9][A-Za-z0-9_.-]*\\.ya?ml")) {
            throw ProblemException.badField("file", "must be a file name ending in .yaml, e.g. my-rule.yaml");
        }
        List<Violation> problems = rules.validate(file, content == null ? "" : content);
        return new Validation(problems.isEmpty(), problems);
    }

    /** What a rule would do for an account now, for a hypothetical event. Nothing is recorded. */
    @POST
    @Path("/{id}/simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Explainer.Explanation simulate(@PathParam("id") String ruleId, Simulation simulation) {
        if (simulation == null || simulation.accountId() == null || simulation.accountId().isBlank()) {
            throw ProblemException.badField("accountId", "is required: the account to simulate the rule for");
        }
        return explainer.explain(ruleId, simulation.accountId(), simulation.userId(), simulation.event(), simulation.properties());
    }

    /** A sequence's funnel: how many entered, what each step did, and why recipients left. */
    @GET
    @Path("/{id}/sequence")
    public SequenceEntries.Funnel sequence(@PathParam("id") String ruleId) {
        return rules.funnel(ruleId);
    }

    /**
     * Fires a scheduled rule now, out of schedule, on its own. Answers at once; the firing shows
     * in {@code runs}.
     */
    @POST
    @Path("/{id}/run")
    public Response run(@PathParam("id") String ruleId) {
        return Response.accepted(new Started(ruleId, firings.fire(ruleId))).build();
    }

    /** Several scheduled rules fired now, together: one firing, one pass over the accounts for all of them. */
    @POST
    @Path("/run")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response runTogether(Firing request) {
        if (request == null || request.rules() == null || request.rules().isEmpty()) {
            throw ProblemException.badField("rules", "name at least one scheduled rule, e.g. {\"rules\": [\"weekly-onboarding-checkin\"]}");
        }
        return Response.accepted(firings.fireTogether(request.rules())).build();
    }

    /** The latest firings of a scheduled rule. */
    @GET
    @Path("/{id}/runs")
    public List<ScheduleRuns.Run> runs(@PathParam("id") String ruleId, @QueryParam("limit") @DefaultValue("20") int limit) {
        return firings.latest(ruleId, limit);
    }
}
