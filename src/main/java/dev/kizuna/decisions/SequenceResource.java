package dev.kizuna.decisions;

import dev.kizuna.problem.ProblemException;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A sequence's funnel: how many entered, what each step did, and why recipients left. */
@Path("/api/rules/{id}/sequence")
@Produces(MediaType.APPLICATION_JSON)
public class SequenceResource {

    private final RuleCatalog catalog;
    private final SequenceEntries entries;

    SequenceResource(RuleCatalog catalog, SequenceEntries entries) {
        this.catalog = catalog;
        this.entries = entries;
    }

    @GET
    public SequenceEntries.Funnel funnel(@PathParam("id") String ruleId) {
        Rule rule = catalog.find(ruleId).orElseThrow(() -> ProblemException.notFound("no rule '" + ruleId + "' is in force"));
        if (!rule.isSequence()) {
            throw ProblemException.notFound("rule '" + ruleId + "' has actions, not steps: it is not a sequence");
        }
        return entries.funnel(ruleId, rule.steps().stream().map(Rule.Step::name).toList());
    }
}
