package dev.kizuna.ui;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.decisions.Explainer;
import dev.kizuna.decisions.ScheduleRuns;
import dev.kizuna.decisions.SequenceEntries;
import dev.kizuna.messages.MessageSearch;
import dev.kizuna.problem.Problem;
import dev.kizuna.problem.ProblemException;
import dev.kizuna.reports.Period;
import dev.kizuna.reports.RuleEffects;
import dev.kizuna.rules.Rule;
import dev.kizuna.rules.RuleCatalog;
import dev.kizuna.rules.RuleDefinition;
import dev.kizuna.templates.TemplatePreviews;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The rules in force: file, state, version, what they sent, their effect; and, for marketers, previews of their templates. */
@Path("/ui/rules")
public class RulesPage {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance rules(
                Chrome chrome, List<RuleCard> rules, List<Problem.Violation> problems, int chartWidth);

        static native TemplateInstance preview(
                Chrome chrome,
                String ruleId,
                String accountId,
                String userId,
                List<TemplatePreview> previews,
                Explainer.Explanation simulation,
                String simulationError,
                ExplanationText why);
    }

    record StatusCount(String status, long count) {}

    record RuleCard(
            String id,
            String name,
            String description,
            String file,
            String version,
            String trigger,
            List<String> audience,
            boolean valid,
            List<Problem.Violation> problems,
            List<StatusCount> counts,
            List<String> templates,
            boolean hasGoal,
            String goal,
            EffectView effect,
            LatestRun latestRun,
            SequenceFunnel funnel) {}

    /** A sequence's funnel: how many entered and are inside, what each step did, why recipients left. */
    record SequenceFunnel(long entered, long active, List<StepRow> steps, List<ExitCount> exited) {

        record StepRow(String name, long sent, long skipped) {}

        record ExitCount(String reason, long count) {}

        static SequenceFunnel of(SequenceEntries.Funnel funnel) {
            return new SequenceFunnel(
                    funnel.entered(),
                    funnel.active(),
                    funnel.steps().entrySet().stream()
                            .map(step -> new StepRow(
                                    step.getKey(),
                                    step.getValue().getOrDefault("sent", 0L),
                                    step.getValue().getOrDefault("skipped", 0L)))
                            .toList(),
                    funnel.exited().entrySet().stream()
                            .map(reason -> new ExitCount(reason.getKey(), reason.getValue()))
                            .toList());
        }
    }

    /**
     * The latest firing of a scheduled rule, in the viewer's time zone: how many accounts of how
     * many it swept, and when it finished or, while it runs, when it should finish.
     */
    record LatestRun(
            String firingId,
            String startedAt,
            String finishedAt,
            long accountsSeen,
            Long accountsTotal,
            String percent,
            String projectedFinishAt,
            long emailsQueued) {

        static LatestRun of(ScheduleRuns.Run run, ZoneId zone) {
            return new LatestRun(
                    run.firingId(),
                    Html.time(run.startedAt(), zone),
                    run.finishedAt() == null ? null : Html.time(run.finishedAt(), zone),
                    run.accountsSeen(),
                    run.accountsTotal(),
                    run.progress() == null ? null : String.format(Locale.ROOT, "%.1f", run.progress() * 100),
                    run.projectedFinishAt() == null ? null : Html.time(run.projectedFinishAt(), zone),
                    run.emailsQueued());
        }
    }

    /** One template of the rule rendered for the chosen recipient, or why it did not render. */
    record TemplatePreview(String template, TemplatePreviews.Preview preview, String emailHtml, String error) {}

    private final RuleCatalog catalog;
    private final MessageSearch messages;
    private final RuleEffects effects;
    private final TemplatePreviews previews;
    private final Explainer explainer;
    private final SignedIn signedIn;
    private final AuditLog audit;
    private final ScheduleRuns runs;
    private final Clock clock;
    private final SequenceEntries sequences;

    RulesPage(
            RuleCatalog catalog,
            MessageSearch messages,
            RuleEffects effects,
            TemplatePreviews previews,
            Explainer explainer,
            SignedIn signedIn,
            AuditLog audit,
            ScheduleRuns runs,
            Clock clock,
            SequenceEntries sequences) {
        this.sequences = sequences;
        this.audit = audit;
        this.runs = runs;
        this.clock = clock;
        this.explainer = explainer;
        this.catalog = catalog;
        this.messages = messages;
        this.effects = effects;
        this.previews = previews;
        this.signedIn = signedIn;
    }

    @GET
    public Response list(@Context HttpHeaders headers, @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        RuleCatalog.Snapshot snapshot = catalog.current();
        Map<String, Map<String, Long>> counts = messages.countsByRule();
        Map<String, RuleEffects.RuleEffect> effectByRule = effects.all(Period.ALL).stream()
                .collect(Collectors.toMap(RuleEffects.RuleEffect::rule, Function.identity()));
        Instant now = clock.instant();
        List<RuleCard> cards = snapshot.rules().values().stream()
                .sorted(Comparator.comparing(Rule::id))
                .map(rule -> card(
                        rule,
                        snapshot.problems(),
                        counts.getOrDefault(rule.id(), Map.of()),
                        effectByRule.get(rule.id()),
                        latestRun(rule, now, zone),
                        ExplanationText.in(locale),
                        rule.isSequence()
                                ? SequenceFunnel.of(sequences.funnel(
                                        rule.id(),
                                        rule.steps().stream()
                                                .map(Rule.Step::name)
                                                .toList()))
                                : null))
                .toList();
        return Html.page(
                Templates.rules(
                        Chrome.signedIn(signedIn, locale, zone, uri, "rules"),
                        cards,
                        snapshot.problems(),
                        EffectView.CHART_WIDTH),
                locale);
    }

    /** Reloads the rules folder now (marketers and admins), as POST /api/rules/reload does, and shows the result. */
    @POST
    @Path("/reload")
    public Response reload(@FormParam("csrf") String csrf) {
        signedIn.requireMarketer();
        signedIn.requireCsrf(csrf);
        RuleCatalog.Snapshot reloaded = catalog.reload();
        audit.record(
                "rules.reload",
                "rules",
                reloaded.rules().size() + " rules in force, "
                        + reloaded.problems().size() + " problems (from the web UI)");
        return Response.seeOther(java.net.URI.create("/ui/rules")).build();
    }

    /**
     * Renders each template of the rule for a real account (and optionally one of its users), and
     * simulates the rule for them: marketers and admins only.
     */
    @GET
    @Path("/{id}/preview")
    public Response preview(
            @PathParam("id") String ruleId,
            @QueryParam("account") String account,
            @QueryParam("user") String user,
            @Context HttpHeaders headers,
            @Context UriInfo uri) {
        signedIn.requireMarketer();
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        Rule rule =
                catalog.find(ruleId).orElseThrow(() -> ProblemException.notFound("no rule '" + ruleId + "' in force"));
        String accountId = Html.blankToNull(account);
        String userId = Html.blankToNull(user);
        List<TemplatePreview> rendered = templatesOf(rule).stream()
                .map(template -> {
                    try {
                        var preview =
                                previews.preview(template, new TemplatePreviews.For(userId, accountId, null, null));
                        return new TemplatePreview(
                                template,
                                preview,
                                preview.email() == null ? null : preview.email().html(),
                                null);
                    } catch (ProblemException failure) {
                        return new TemplatePreview(
                                template, null, null, failure.toProblem().detail());
                    }
                })
                .toList();
        // The simulation: would the rule's trigger, happening now, message this account's users? Nothing is recorded.
        Explainer.Explanation simulation = null;
        String simulationError = null;
        try {
            simulation = accountId == null ? null : explainer.explain(rule.id(), accountId, userId, null, null);
        } catch (ProblemException failure) {
            simulationError = failure.toProblem().detail();
        }
        return Html.page(
                Templates.preview(
                        Chrome.signedIn(signedIn, locale, zone, uri, "rules"),
                        rule.id(),
                        accountId,
                        userId,
                        rendered,
                        simulation,
                        simulationError,
                        ExplanationText.in(locale)),
                locale);
    }

    private LatestRun latestRun(Rule rule, Instant now, ZoneId zone) {
        if (rule.triggerKind() != Rule.TriggerKind.SCHEDULE) {
            return null;
        }
        return runs.latest(rule.id(), 1, now).stream()
                .findFirst()
                .map(run -> LatestRun.of(run, zone))
                .orElse(null);
    }

    private static RuleCard card(
            Rule rule,
            List<Problem.Violation> allProblems,
            Map<String, Long> counts,
            RuleEffects.RuleEffect effect,
            LatestRun latestRun,
            ExplanationText words,
            SequenceFunnel funnel) {
        List<Problem.Violation> problems = allProblems.stream()
                .filter(problem -> rule.file().equals(problem.file()))
                .toList();
        List<StatusCount> statusCounts = counts.entrySet().stream()
                .map(entry -> new StatusCount(entry.getKey(), entry.getValue()))
                .toList();
        String goal = rule.goal() == null
                ? null
                : rule.goal().onRevenue()
                        ? rule.goal().describe()
                        : (rule.goal().milestone() != null
                                        ? rule.goal().milestone()
                                        : rule.goal().event())
                                + (rule.goal().within() == null
                                        ? ""
                                        : " · " + rule.goal().within());
        return new RuleCard(
                rule.id(),
                rule.name(),
                rule.definition().description(),
                rule.file(),
                rule.version(),
                words.trigger(rule.describeTrigger()),
                rule.audience(),
                problems.isEmpty(),
                problems,
                statusCounts,
                templatesOf(rule),
                rule.goal() != null,
                goal,
                effect == null || effect.effect() == null ? null : EffectView.of(effect.effect()),
                latestRun,
                funnel);
    }

    private static List<String> templatesOf(Rule rule) {
        List<RuleDefinition.Action> actions = rule.isSequence()
                ? rule.steps().stream().flatMap(step -> step.actions().stream()).toList()
                : rule.actions();
        return actions.stream().map(RuleDefinition.Action::template).distinct().toList();
    }
}
