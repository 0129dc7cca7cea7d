package dev.kizuna.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kizuna.common.Durations;
import dev.kizuna.common.YamlLines;
import dev.kizuna.common.YamlMismatch;
import dev.kizuna.expression.Condition;
import dev.kizuna.messages.Channel;
import dev.kizuna.messages.EngagementEvent;
import dev.kizuna.problem.Problem.Violation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.quartz.CronExpression;

/** Reads and validates one rule file; every problem names the file and, where known, the line. */
final class RuleFileReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /** Whether a template exists for a channel; rules may only name templates that do. */
    private final BiPredicate<String, Channel> templateExists;
    /** What would fail every message of a template (its template.yaml does not parse), if anything. */
    private final Function<String, Optional<String>> templateProblem;
    /** The segments and milestones defined in segments.yaml and activation.yaml. */
    private final Set<String> segments;

    private final Set<String> milestones;
    /** The webhook targets of the configuration (kizuna.webhooks.targets.*), which webhook and Slack actions name. */
    private final Set<String> webhookTargets;

    RuleFileReader(BiPredicate<String, Channel> templateExists) {
        this(templateExists, Set.of(), Set.of());
    }

    RuleFileReader(BiPredicate<String, Channel> templateExists, Set<String> segments, Set<String> milestones) {
        this(templateExists, template -> Optional.empty(), segments, milestones, Set.of());
    }

    RuleFileReader(
            BiPredicate<String, Channel> templateExists,
            Function<String, Optional<String>> templateProblem,
            Set<String> segments,
            Set<String> milestones,
            Set<String> webhookTargets) {
        this.templateExists = templateExists;
        this.templateProblem = templateProblem;
        this.segments = segments;
        this.milestones = milestones;
        this.webhookTargets = webhookTargets;
    }

    /** The outcome of reading one file: a rule, or the reasons it is not one. */
    record Outcome(Rule rule, List<Violation> problems) {}

    Outcome read(String file, String content) {
        String id = file.replaceFirst("\\.ya?ml$", "");
        YamlLines lines = YamlLines.of(content);
        RuleDefinition definition;
        try {
            definition = YAML.readValue(content, RuleDefinition.class);
        } catch (JsonMappingException e) {
            YamlMismatch mismatch = YamlMismatch.of(e, YAML);
            Integer line = lines.lineOf(mismatch.pointer());
            return failed(Violation.inFile(file, line != null ? line : lineOf(e), mismatch.describe()));
        } catch (JsonProcessingException e) {
            return failed(Violation.inFile(file, lineOf(e), plainMessage(e)));
        }
        if (definition == null) {
            return failed(Violation.inFile(file, 1, "the file is empty"));
        }
        List<Violation> problems = new ArrayList<>();
        Rule.Timing timing = checkTrigger(file, definition.trigger(), lines, problems);
        Duration every = null;
        if (definition.limits() != null && definition.limits().every() != null) {
            every = duration(file, lines, "/limits/every", definition.limits().every(), problems);
        }
        Duration goalWithin = checkGoal(file, definition.goal(), lines, problems);
        if (timing != null) {
            timing = new Rule.Timing(timing.delay(), timing.idleFor(), every, goalWithin, timing.scheduleZone());
        }
        List<String> audience = definition.audience() == null ? List.of() : definition.audience();
        for (int i = 0; i < audience.size(); i++) {
            if (!segments.contains(audience.get(i))) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf("/audience/" + i),
                        "audience names segment '" + audience.get(i) + "', which segments.yaml does not define"));
            }
        }
        if (definition.holdout() != null && (definition.holdout() < 0 || definition.holdout() > 90)) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf("/holdout"),
                    "holdout is a percentage from 0 to 90, not " + definition.holdout()));
        }
        List<Rule.Step> steps = List.of();
        if (definition.steps() != null) {
            if (definition.actions() != null) {
                problems.add(Violation.inFile(file, lines.lineOf("/steps"), "a rule has actions or steps, not both"));
            }
            steps = checkSteps(file, lines, definition, problems);
        } else if (definition.actions() == null || definition.actions().isEmpty()) {
            problems.add(Violation.inFile(
                    file, lines.lineOf("/actions"), "actions is required: at least one channel and template"));
        } else {
            checkActions(file, lines, "/actions", definition.actions(), problems);
        }
        if (Boolean.TRUE.equals(definition.exitOnAudienceLeave())
                && (definition.steps() == null || audience.isEmpty())) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf("/exit_on_audience_leave"),
                    "exit_on_audience_leave is for a sequence (steps) with an audience"));
        }
        Condition condition = Condition.ALWAYS;
        try {
            condition = Condition.compile(definition.condition());
        } catch (Condition.InvalidCondition e) {
            problems.add(Violation.inFile(
                    file, lines.lineOf("/condition"), "condition does not compile: " + e.getMessage()));
        }
        if (!problems.isEmpty()) {
            return new Outcome(null, problems);
        }
        return new Outcome(new Rule(id, file, versionOf(content), definition, condition, timing, steps), List.of());
    }

    /** Every action names its channel and a template that serves it (and webhook and Slack actions a configured target). */
    private void checkActions(
            String file,
            YamlLines lines,
            String pointer,
            List<RuleDefinition.Action> actions,
            List<Violation> problems) {
        String label = pointer.substring(1).replaceAll("/(\\d+)/", "[$1].").replace('/', '.');
        for (int i = 0; i < actions.size(); i++) {
            RuleDefinition.Action action = actions.get(i);
            String at = pointer + "/" + i;
            String named = label + "[" + i + "]";
            if (action.channel() == null) {
                problems.add(Violation.inFile(
                        file, lines.lineOf(at), named + ".channel is required: email, inapp, csm, webhook or slack"));
                continue;
            }
            checkTarget(file, lines, at, named, action, problems);
            if (blank(action.template())) {
                problems.add(Violation.inFile(file, lines.lineOf(at), named + ".template is required"));
            } else if (!templateExists.test(action.template(), action.channel())) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf(at + "/template"),
                        named + ".template '" + action.template() + "' has no "
                                + action.channel().wireName() + " template in the templates folder"));
            } else {
                Optional<String> problem = templateProblem.apply(action.template());
                if (problem.isPresent()) {
                    problems.add(Violation.inFile(
                            file,
                            lines.lineOf(at + "/template"),
                            named + ".template '" + action.template() + "' cannot be used: " + problem.get()));
                }
            }
        }
    }

    /**
     * A sequence's steps: each named once, the first going out at entry (no wait), each later one
     * with its wait, a condition that compiles and actions. Re-entry follows limits.once_per, which
     * a sequence must have.
     */
    private List<Rule.Step> checkSteps(
            String file, YamlLines lines, RuleDefinition definition, List<Violation> problems) {
        List<RuleDefinition.Step> written = definition.steps();
        if (written.isEmpty()) {
            problems.add(Violation.inFile(file, lines.lineOf("/steps"), "steps needs at least one step"));
            return List.of();
        }
        if (definition.oncePerOrNull() == null) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf("/steps"),
                    "a sequence needs limits.once_per (user or account): a recipient"
                            + " enters once, or once per limits.every"));
        }
        List<Rule.Step> steps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < written.size(); i++) {
            RuleDefinition.Step step = written.get(i);
            String at = "/steps/" + i;
            if (step.name() == null || !step.name().matches("[a-z0-9][a-z0-9_-]*")) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf(at),
                        "steps[" + i + "].name is required: lowercase letters, digits, - and _"
                                + (step.name() == null ? "" : ", not '" + step.name() + "'")));
            } else if (!names.add(step.name())) {
                problems.add(
                        Violation.inFile(
                                file,
                                lines.lineOf(at + "/name"),
                                "steps[" + i + "].name '" + step.name()
                                        + "' is the name of an earlier step: each step's name is its place, kept when the file is edited"));
            }
            Duration wait = null;
            if (i == 0 && step.waitFor() != null) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf(at + "/wait"),
                        "steps[0] goes out when the recipient enters and has no wait"
                                + " (to start later, use an after trigger)"));
            } else if (i > 0) {
                wait = step.waitFor() == null ? null : duration(file, lines, at + "/wait", step.waitFor(), problems);
                if (step.waitFor() == null) {
                    problems.add(Violation.inFile(
                            file,
                            lines.lineOf(at),
                            "steps[" + i + "].wait is required: how long after the step before" + " (e.g. 2d)"));
                }
            }
            Condition condition = Condition.ALWAYS;
            if (i == 0 && step.condition() != null) {
                problems.add(Violation.inFile(
                        file, lines.lineOf(at + "/if"), "steps[0] has no if: the rule's condition decides who enters"));
            } else {
                try {
                    condition = Condition.compile(step.condition());
                } catch (Condition.InvalidCondition e) {
                    problems.add(Violation.inFile(
                            file, lines.lineOf(at + "/if"), "steps[" + i + "].if does not compile: " + e.getMessage()));
                }
            }
            if (step.actions() == null || step.actions().isEmpty()) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf(at),
                        "steps[" + i + "].actions is required: at least one channel and template"));
            } else {
                checkActions(file, lines, at + "/actions", step.actions(), problems);
            }
            steps.add(new Rule.Step(step.name(), wait, condition, step.actions()));
        }
        return steps;
    }

    /** Exactly one trigger, well formed; returns its parsed timing, or null after reporting problems. */
    private Rule.Timing checkTrigger(
            String file, RuleDefinition.Trigger trigger, YamlLines lines, List<Violation> problems) {
        if (trigger == null) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf("/trigger"),
                    "trigger is required: one of event, schedule, after, inactivity or segment"));
            return null;
        }
        int kinds = (trigger.event() != null ? 1 : 0)
                + (trigger.schedule() != null ? 1 : 0)
                + (trigger.after() != null ? 1 : 0)
                + (trigger.inactivity() != null ? 1 : 0)
                + (trigger.segment() != null ? 1 : 0);
        if (kinds != 1) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf("/trigger"),
                    "trigger needs exactly one of event, schedule, after, inactivity or segment; this one has "
                            + kinds));
            return null;
        }
        int before = problems.size();
        Duration delay = null;
        Duration idleFor = null;
        ZoneId zone = null;
        if (trigger.event() != null && trigger.event().isBlank()) {
            problems.add(Violation.inFile(file, lines.lineOf("/trigger/event"), "trigger.event must name an event"));
        }
        checkOwnEvent(file, lines, "/trigger/event", trigger.event(), problems);
        if (trigger.after() != null) {
            checkOwnEvent(file, lines, "/trigger/after/event", trigger.after().event(), problems);
            checkOwnEvent(file, lines, "/trigger/after/unless", trigger.after().unless(), problems);
        }
        if (trigger.inactivity() != null) {
            checkOwnEvent(
                    file,
                    lines,
                    "/trigger/inactivity/event",
                    trigger.inactivity().event(),
                    problems);
        }
        if (trigger.schedule() != null) {
            String cron = trigger.schedule().cron();
            if (cron == null || !CronExpression.isValidExpression(cron)) {
                problems.add(
                        Violation.inFile(
                                file,
                                lines.lineOf("/trigger/schedule/cron"),
                                "trigger.schedule.cron '" + cron
                                        + "' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 9 ? * MON')"));
            }
            try {
                zone = trigger.schedule().timezone() == null
                        ? ZoneId.of("UTC")
                        : ZoneId.of(trigger.schedule().timezone());
            } catch (DateTimeException e) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf("/trigger/schedule/timezone"),
                        "trigger.schedule.timezone '" + trigger.schedule().timezone()
                                + "' is not a timezone such as Asia/Tokyo"));
            }
        }
        if (trigger.after() != null) {
            if (blank(trigger.after().event())) {
                problems.add(Violation.inFile(file, lines.lineOf("/trigger/after"), "trigger.after.event is required"));
            }
            delay = duration(
                    file, lines, "/trigger/after/delay", trigger.after().delay(), problems);
        }
        if (trigger.inactivity() != null) {
            if (blank(trigger.inactivity().event())) {
                problems.add(Violation.inFile(
                        file, lines.lineOf("/trigger/inactivity"), "trigger.inactivity.event is required"));
            }
            idleFor = duration(
                    file, lines, "/trigger/inactivity/for", trigger.inactivity().idleFor(), problems);
        }
        if (trigger.segment() != null) {
            RuleDefinition.SegmentChange change = trigger.segment();
            String named = change.enter() != null ? change.enter() : change.exit();
            if ((change.enter() == null) == (change.exit() == null)) {
                problems.add(Violation.inFile(
                        file, lines.lineOf("/trigger/segment"), "trigger.segment needs exactly one of enter or exit"));
            } else if (!segments.contains(named)) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf("/trigger/segment"),
                        "trigger.segment names '" + named + "', which segments.yaml does not define"));
            }
        }
        return problems.size() > before ? null : new Rule.Timing(delay, idleFor, null, null, zone);
    }

    private Duration checkGoal(String file, RuleDefinition.Goal goal, YamlLines lines, List<Violation> problems) {
        if (goal == null) {
            return null;
        }
        long kinds = java.util.stream.Stream.of(goal.milestone(), goal.event(), goal.retained(), goal.expanded())
                .filter(Objects::nonNull)
                .count();
        if (kinds != 1) {
            problems.add(Violation.inFile(
                    file, lines.lineOf("/goal"), "goal needs exactly one of milestone, event, retained or expanded"));
        } else if (goal.milestone() != null && !milestones.contains(goal.milestone())) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf("/goal/milestone"),
                    "goal.milestone '" + goal.milestone() + "' is not a milestone of activation.yaml"));
        }
        checkOwnEvent(file, lines, "/goal/event", goal.event(), problems);
        if (goal.onRevenue()) {
            String kind = goal.retained() != null ? "retained" : "expanded";
            if (goal.within() != null) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf("/goal/within"),
                        "goal." + kind + " is measured over its own window (" + kind + ": 90d): leave out within"));
            }
            return duration(
                    file,
                    lines,
                    "/goal/" + kind,
                    goal.retained() != null ? goal.retained() : goal.expanded(),
                    problems);
        }
        return goal.within() == null ? null : duration(file, lines, "/goal/within", goal.within(), problems);
    }

    /** Webhook and Slack actions name a configured target; the other channels have their recipient and name none. */
    private void checkTarget(
            String file,
            YamlLines lines,
            String at,
            String named,
            RuleDefinition.Action action,
            List<Violation> problems) {
        String configured = webhookTargets.isEmpty()
                ? "none is configured"
                : "configured: " + String.join(", ", new TreeSet<>(webhookTargets));
        if (!action.channel().isHttp()) {
            if (action.target() != null) {
                problems.add(Violation.inFile(
                        file,
                        lines.lineOf(at + "/target"),
                        named + ".target is for webhook and slack actions only:" + " a "
                                + action.channel().wireName() + " action's message goes to its recipient"));
            }
        } else if (blank(action.target())) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf(at),
                    named + ".target is required for a " + action.channel().wireName()
                            + " action: the name of a target in kizuna.webhooks.targets (" + configured + ")"));
        } else if (!webhookTargets.contains(action.target())) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf(at + "/target"),
                    named + ".target '" + action.target() + "' is not configured: set kizuna.webhooks.targets."
                            + action.target() + ".url (" + configured + ")"));
        }
    }

    /** A name with Kizuna's own prefix must be one of the events Kizuna records: any other would never happen. */
    private static void checkOwnEvent(
            String file, YamlLines lines, String pointer, String event, List<Violation> problems) {
        if (event != null && event.startsWith(EngagementEvent.PREFIX) && !EngagementEvent.isKnown(event)) {
            problems.add(Violation.inFile(
                    file,
                    lines.lineOf(pointer),
                    pointer.substring(1).replace('/', '.') + " '" + event
                            + "' is not an event Kizuna records (names starting with kizuna. are kept for these: "
                            + EngagementEvent.names() + ")"));
        }
    }

    private static Duration duration(
            String file, YamlLines lines, String pointer, String text, List<Violation> problems) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(Violation.inFile(
                    file, lines.lineOf(pointer), pointer.substring(1).replace('/', '.') + ": " + e.getMessage()));
            return null;
        }
    }

    private static Outcome failed(Violation violation) {
        return new Outcome(null, List.of(violation));
    }

    /** Where the YAML parser stopped, for a file that is not YAML at all. */
    private static Integer lineOf(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 0
                ? null
                : e.getLocation().getLineNr();
    }

    /** The YAML parser's message without the Java class names that mean nothing to a marketer. */
    private static String plainMessage(JsonProcessingException e) {
        return e.getOriginalMessage()
                .replaceAll("`[a-z.]+\\.([A-Za-z$]+)`", "$1")
                .replace("dev.kizuna.", "");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** A short content hash: the rule's version, stored on every message it produces. */
    static String versionOf(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
