package dev.kizuna.rules;

import dev.kizuna.audit.AuditLog;
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
    private final dev.kizuna.messages.MessageSearch messages;

    private final AuditLog audit;

    RulesResource(RuleCatalog catalog, dev.kizuna.messages.MessageSearch messages, AuditLog audit) {
        this.audit = audit;
        this.catalog = catalog;
        this.messages = messages;
    }

    public record RuleSummary(String id, String name, String file, String version, String trigger, String condition,
            java.util.List<String> audience, int priority, int holdout, String state, java.util.Map<String, Long> messages) {}

    /** The outcome of validating a rule file's text. */
    public record Validation(boolean valid, List<Violation> problems) {}

    public record RuleList(List<RuleSummary> rules, List<Violation> problems) {}

    @GET
    public RuleList list() {
        return describe(catalog.current());
    }

    @POST
    @Path("/reload")
    public RuleList reload() {
        RuleList rules = describe(catalog.reload());
        audit.record("rules.reload", "rules", rules.rules().size() + " rules in force, " + rules.problems().size() + " problems");
        return rules;
    }

    /** Validates a rule file sent as the body (YAML), as if it were in the rules folder; nothing is loaded. */
    @POST
    @Path("/validate")
    @jakarta.ws.rs.Consumes({"application/yaml", "text/yaml", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    public Validation validate(@jakarta.ws.rs.QueryParam("file") @jakarta.ws.rs.DefaultValue("rule.yaml") String file, String content) {
        if (!file.matches("[A-Za-z0-9][A-Za-z0-9_.-]*\\.ya?ml")) {
            throw dev.kizuna.problem.ProblemException.badField("file", "must be a file name ending in .yaml, e.g. my-rule.yaml");
        }
        List<Violation> problems = catalog.validate(file, content == null ? "" : content);
        return new Validation(problems.isEmpty(), problems);
    }

    private RuleList describe(RuleCatalog.Snapshot snapshot) {
        var counts = messages.countsByRule();
        List<RuleSummary> rules = snapshot.rules().values().stream()
                .sorted(Comparator.comparing(Rule::id))
                .map(rule -> new RuleSummary(rule.id(), rule.name(), rule.file(), rule.version(), rule.describeTrigger(),
                        rule.condition().source(), rule.audience(), rule.priority(), rule.holdoutPercent(),
                        snapshot.problems().stream().anyMatch(problem -> rule.file().equals(problem.file()))
                                ? "last good version (the file has problems)" : "valid",
                        counts.getOrDefault(rule.id(), java.util.Map.of())))
                .toList();
        return new RuleList(rules, snapshot.problems());
    }
}
