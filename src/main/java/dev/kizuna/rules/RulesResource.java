package dev.kizuna.rules;

import dev.kizuna.problem.Problem.Violation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;

/** The rules in force, their versions, and the problems of the rule files. */
@Path("/api/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    private final RuleCatalog catalog;

    RulesResource(RuleCatalog catalog) {
        this.catalog = catalog;
    }

    public record RuleSummary(String id, String name, String file, String version, String trigger, String condition) {}

    public record RuleList(List<RuleSummary> rules, List<Violation> problems) {}

    @GET
    public RuleList list() {
        return describe(catalog.current());
    }

    @POST
    @Path("/reload")
    public RuleList reload() {
        return describe(catalog.reload());
    }

    private static RuleList describe(RuleCatalog.Snapshot snapshot) {
        List<RuleSummary> rules = snapshot.rules().values().stream()
                .sorted(Comparator.comparing(Rule::id))
                .map(rule -> new RuleSummary(rule.id(), rule.name(), rule.file(), rule.version(),
                        rule.definition().trigger().event(), rule.condition().source()))
                .toList();
        return new RuleList(rules, snapshot.problems());
    }
}
