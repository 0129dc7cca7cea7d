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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
@Tag(name = "Rules")
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
    @Operation(
            summary = "List the rules in force",
            description =
                    "Each rule in force with its file, version, trigger, condition, audience, priority, holdout and messages by"
                            + " status, and the problems of rule files that did not load (file, line, message).")
    @APIResponse(responseCode = "200", description = "The rules in force and the problems of the rules folder")
    public RulesInForce.RuleList list() {
        return rules.list();
    }

    @POST
    @Path("/reload")
    @Operation(
            summary = "Reload the rules folder",
            description =
                    "Reads the rules folder again now rather than when a file changes, and answers as the list does. A file with"
                            + " problems keeps its last good version in force. The reload is audited.")
    @APIResponse(
            responseCode = "200",
            description = "The rules in force after the reload, and the problems of the rules folder")
    public RulesInForce.RuleList reload() {
        return rules.reload();
    }

    /** Validates a rule file sent as the body (YAML), as if it were in the rules folder; nothing is loaded. */
    @POST
    @Path("/validate")
    @Operation(
            summary = "Check a rule file without loading it",
            description =
                    "The problems the rule file sent as the body (YAML) would have if it were in the rules folder, each with its"
                            + " line. Nothing is loaded.")
    @APIResponse(responseCode = "200", description = "Whether the file is valid, and its problems")
    @APIResponse(responseCode = "400", description = "The file name is not a name ending in .yaml")
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
    @Operation(
            summary = "Simulate a rule for a hypothetical event",
            description =
                    "What the rule would do for the account's users now if the event happened, check by check, as explain"
                            + " answers. Nothing is recorded or sent.")
    @APIResponse(responseCode = "200", description = "The explanation, check by check, for each user")
    @APIResponse(responseCode = "400", description = "accountId is missing, or the body is not valid JSON")
    @APIResponse(responseCode = "404", description = "No rule with this id is in force, or no account with this id")
    @Consumes(MediaType.APPLICATION_JSON)
    public Explainer.Explanation simulate(@PathParam("id") String ruleId, Simulation simulation) {
        if (simulation == null
                || simulation.accountId() == null
                || simulation.accountId().isBlank()) {
            throw ProblemException.badField("accountId", "is required: the account to simulate the rule for");
        }
        return explainer.explain(
                ruleId, simulation.accountId(), simulation.userId(), simulation.event(), simulation.properties());
    }

    /** A sequence's funnel: how many entered, what each step did, and why recipients left. */
    @GET
    @Path("/{id}/sequence")
    @Operation(
            summary = "A sequence's funnel",
            description =
                    "For a rule with steps: how many recipients entered, how many are still in it, what each step sent or"
                            + " skipped, and why recipients left.")
    @APIResponse(responseCode = "200", description = "The sequence's funnel")
    @APIResponse(
            responseCode = "404",
            description = "No rule with this id is in force, or the rule has actions, not steps")
    public SequenceEntries.Funnel sequence(@PathParam("id") String ruleId) {
        return rules.funnel(ruleId);
    }

    /**
     * Fires a scheduled rule now, out of schedule, on its own. Answers at once; the firing shows
     * in {@code runs}.
     */
    @POST
    @Path("/{id}/run")
    @Operation(
            summary = "Fire a scheduled rule now",
            description =
                    "Starts a firing of the rule out of schedule, like its cron firings: every instance sweeps its pages, after"
                            + " the firings started before it. Answers at once with the firing's id; runs shows its progress.")
    @APIResponse(
            responseCode = "202",
            description = "The firing started: the rule and the firing's id",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Started.class)))
    @APIResponse(responseCode = "404", description = "No rule with this id is in force")
    @APIResponse(responseCode = "409", description = "The rule is not triggered by a schedule")
    public Response run(@PathParam("id") String ruleId) {
        return Response.accepted(new Started(ruleId, firings.fire(ruleId))).build();
    }

    /** Several scheduled rules fired now, together: one firing, one pass over the accounts for all of them. */
    @POST
    @Path("/run")
    @Operation(
            summary = "Fire several scheduled rules together",
            description =
                    "One firing, one pass over the accounts for all the rules named in rules, as when they come due at the same"
                            + " time. Answers at once with the firing's id.")
    @APIResponse(
            responseCode = "202",
            description = "The firing started: its rules and its id",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ManualFirings.Fired.class)))
    @APIResponse(responseCode = "400", description = "No rules named, or a blank one")
    @APIResponse(responseCode = "404", description = "A rule named is not in force")
    @APIResponse(responseCode = "409", description = "A rule named is not triggered by a schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response runTogether(Firing request) {
        if (request == null || request.rules() == null || request.rules().isEmpty()) {
            throw ProblemException.badField(
                    "rules", "name at least one scheduled rule, e.g. {\"rules\": [\"weekly-onboarding-checkin\"]}");
        }
        return Response.accepted(firings.fireTogether(request.rules())).build();
    }

    /** The latest firings of a scheduled rule. */
    @GET
    @Path("/{id}/runs")
    @Operation(
            summary = "The latest firings of a scheduled rule",
            description =
                    "Newest first, each with its rules, start and end, accounts swept of the accounts there were at its start,"
                            + " progress, emails queued, pages failed and, while it runs, when it should finish at its rate so far.")
    @APIResponse(responseCode = "200", description = "The latest firings, newest first")
    @APIResponse(responseCode = "400", description = "limit is not between 1 and 500")
    @APIResponse(responseCode = "404", description = "No rule with this id is in force")
    @APIResponse(responseCode = "409", description = "The rule is not triggered by a schedule")
    public List<ScheduleRuns.Run> runs(
            @PathParam("id") String ruleId, @QueryParam("limit") @DefaultValue("20") int limit) {
        return firings.latest(ruleId, limit);
    }
}
