package dev.kizuna.rules;

import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.templates.TemplateCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the rule, segment and template files loaded without problems, in /q/health/ready, as
 * of the last load (no file is read per probe). A broken file leaves the instance ready, only
 * degraded: the last good version of a rule stays in force, and every other rule keeps working.
 */
@Readiness
@ApplicationScoped
public class ContentFilesHealth implements HealthCheck {

    private final RuleCatalog rules;
    private final TemplateCatalog templates;

    ContentFilesHealth(RuleCatalog rules, TemplateCatalog templates) {
        this.rules = rules;
        this.templates = templates;
    }

    @Override
    public HealthCheckResponse call() {
        RuleCatalog.Snapshot snapshot = rules.current();
        List<Violation> templateProblems = templates.problems();
        int problems = snapshot.problems().size() + templateProblems.size();
        var response = HealthCheckResponse.named("rules and templates")
                .up()
                .withData("state", problems == 0 ? "ok" : "degraded")
                .withData("rulesInForce", snapshot.rules().size())
                .withData("ruleAndSegmentFileProblems", snapshot.problems().size())
                .withData("templateFileProblems", templateProblems.size());
        if (problems > 0) {
            Violation first = snapshot.problems().isEmpty()
                    ? templateProblems.get(0)
                    : snapshot.problems().get(0);
            response.withData(
                    "firstProblem",
                    first.file() + (first.line() == null ? "" : " line " + first.line()) + ": " + first.message());
        }
        return response.build();
    }
}
