package dev.kizuna.api;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.decisions.SequenceEntries;
import dev.kizuna.messages.MessageSearch;
import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rules in force as the API describes them: each with its file, version and messages by
 * status, the problems of the rule files, and a sequence's funnel.
 */
@ApplicationScoped
public class RulesInForce {

    public record RuleSummary(
            String id,
            String name,
            String file,
            String version,
            String trigger,
            String condition,
            List<String> audience,
            int priority,
            int holdout,
            String state,
            Map<String, Long> messages) {}

    public record RuleList(List<RuleSummary> rules, List<Violation> problems) {}

    private final RuleCatalog catalog;
    private final MessageSearch messages;
    private final SequenceEntries sequences;
    private final AuditLog audit;

    RulesInForce(RuleCatalog catalog, MessageSearch messages, SequenceEntries sequences, AuditLog audit) {
        this.catalog = catalog;
        this.messages = messages;
        this.sequences = sequences;
        this.audit = audit;
    }

    public RuleList list() {
        return describe(catalog.current());
    }

    /** Reads the rules folder again; the reload is audited. */
    public RuleList reload() {
        RuleList rules = describe(catalog.reload());
        audit.record(
                "rules.reload",
                "rules",
                rules.rules().size() + " rules in force, " + rules.problems().size() + " problems");
        return rules;
    }

    /** The problems a rule file would have, as if it were in the rules folder; nothing is loaded. */
    public List<Violation> validate(String file, String content) {
        return catalog.validate(file, content);
    }

    /** The funnel of a rule in force that has steps; any other rule is not found as a sequence. */
    public SequenceEntries.Funnel funnel(String ruleId) {
        Rule rule = catalog.find(ruleId)
                .orElseThrow(() -> ProblemException.notFound("no rule '" + ruleId + "' is in force"));
        if (!rule.isSequence()) {
            throw ProblemException.notFound("rule '" + ruleId + "' has actions, not steps: it is not a sequence");
        }
        return sequences.funnel(
                ruleId, rule.steps().stream().map(Rule.Step::name).toList());
    }

    private RuleList describe(RuleCatalog.Snapshot snapshot) {
        var counts = messages.countsByRule();
        List<RuleSummary> rules = snapshot.rules().values().stream()
                .sorted(Comparator.comparing(Rule::id))
                .map(rule -> new RuleSummary(
                        rule.id(),
                        rule.name(),
                        rule.file(),
                        rule.version(),
                        rule.describeTrigger(),
                        rule.condition().source(),
                        rule.audience(),
                        rule.priority(),
                        rule.holdoutPercent(),
                        snapshot.problems().stream()
                                        .anyMatch(problem -> rule.file().equals(problem.file()))
                                ? "last good version (the file has problems)"
                                : "valid",
                        counts.getOrDefault(rule.id(), Map.of())))
                .toList();
        return new RuleList(rules, snapshot.problems());
    }
}
