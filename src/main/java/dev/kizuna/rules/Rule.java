package dev.kizuna.rules;

import dev.kizuna.expression.Condition;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A rule that passed validation: its definition, compiled condition, parsed durations, and
 * version, the content hash of its file, stored on every message it produces.
 */
public record Rule(
        String id,
        String file,
        String version,
        RuleDefinition definition,
        Condition condition,
        Timing timing,
        List<Step> steps) {

    /** A rule with actions, not steps. */
    public Rule(String id, String file, String version, RuleDefinition definition, Condition condition, Timing timing) {
        this(id, file, version, definition, condition, timing, List.of());
    }

    /** A step of a sequence, parsed at load: its wait after the step before, its condition, its actions. */
    public record Step(String name, Duration waitFor, Condition condition, List<RuleDefinition.Action> actions) {}

    /** Whether the rule is a sequence of steps: it fires by entering the recipient, who then goes through the steps. */
    public boolean isSequence() {
        return !steps.isEmpty();
    }

    /** The step of this name, if the sequence (as it is now) has it. */
    public Optional<Step> step(String name) {
        return steps.stream().filter(step -> step.name().equals(name)).findFirst();
    }

    /** The step after the named one, if any. */
    public Optional<Step> stepAfter(String name) {
        for (int i = 0; i < steps.size() - 1; i++) {
            if (steps.get(i).name().equals(name)) {
                return Optional.of(steps.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * The rule as one later step of its sequence is decided: that step's condition and actions,
     * with no audience, goal, limit or holdout, which were decided at entry (a goal reached or an
     * audience left ends the sequence instead). Its messages are the rule's, under its id and version.
     */
    public Rule atStep(Step step) {
        RuleDefinition.Limits limits = definition.limits() == null
                ? null
                : new RuleDefinition.Limits(null, null, definition.limits().quietHours());
        RuleDefinition stepDefinition = new RuleDefinition(
                definition.name(),
                definition.description(),
                definition.priority(),
                definition.trigger(),
                null,
                step.condition().source(),
                step.actions(),
                limits,
                null,
                null,
                null,
                null);
        return new Rule(id, file, version, stepDefinition, step.condition(), timing);
    }

    /** The trigger's kind. */
    public enum TriggerKind {
        EVENT,
        SCHEDULE,
        AFTER,
        INACTIVITY,
        SEGMENT
    }

    /** Durations and zone of a rule, parsed once at load. Null where the rule does not use them. */
    public record Timing(Duration delay, Duration idleFor, Duration every, Duration goalWithin, ZoneId scheduleZone) {}

    public String name() {
        return definition.name() != null ? definition.name() : id;
    }

    public int priority() {
        return definition.priority() == null ? 0 : definition.priority();
    }

    /** What the rule sends when it fires: its actions, or a sequence's first step's. */
    public List<RuleDefinition.Action> actions() {
        return isSequence() ? steps.get(0).actions() : definition.actions();
    }

    public List<String> audience() {
        return definition.audience() == null ? List.of() : definition.audience();
    }

    public int holdoutPercent() {
        return definition.holdout() == null ? 0 : definition.holdout();
    }

    public RuleDefinition.OncePer oncePer() {
        return definition.limits() == null ? null : definition.limits().oncePer();
    }

    public boolean respectsQuietHours() {
        return definition.limits() == null
                || definition.limits().quietHours() == null
                || definition.limits().quietHours();
    }

    public RuleDefinition.Goal goal() {
        return definition.goal();
    }

    public TriggerKind triggerKind() {
        RuleDefinition.Trigger trigger = definition.trigger();
        if (trigger.schedule() != null) {
            return TriggerKind.SCHEDULE;
        }
        if (trigger.after() != null) {
            return TriggerKind.AFTER;
        }
        if (trigger.inactivity() != null) {
            return TriggerKind.INACTIVITY;
        }
        if (trigger.segment() != null) {
            return TriggerKind.SEGMENT;
        }
        return TriggerKind.EVENT;
    }

    /** The event whose arrival matters to this rule: the trigger event, the "after" event, or the watched event. */
    public String watchedEvent() {
        RuleDefinition.Trigger trigger = definition.trigger();
        return switch (triggerKind()) {
            case EVENT -> trigger.event();
            case AFTER -> trigger.after().event();
            case INACTIVITY -> trigger.inactivity().event();
            default -> null;
        };
    }

    /** A human description of the trigger, for the API and explanations. */
    public String describeTrigger() {
        RuleDefinition.Trigger trigger = definition.trigger();
        return switch (triggerKind()) {
            case EVENT -> "event '" + trigger.event() + "'";
            case SCHEDULE -> "schedule '" + trigger.schedule().cron() + "' (" + timing.scheduleZone() + ")";
            case AFTER ->
                trigger.after().delay() + " after '" + trigger.after().event() + "'"
                        + (trigger.after().unless() == null
                                ? ""
                                : " unless '" + trigger.after().unless() + "'");
            case INACTIVITY ->
                "no '" + trigger.inactivity().event() + "' for "
                        + trigger.inactivity().idleFor();
            case SEGMENT ->
                trigger.segment().enter() != null
                        ? "entering segment '" + trigger.segment().enter() + "'"
                        : "leaving segment '" + trigger.segment().exit() + "'";
        };
    }
}
