package dev.kizuna.rules;

import dev.kizuna.expression.Condition;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * A rule that passed validation: its definition, compiled condition, parsed durations, and
 * version, the content hash of its file, stored on every message it produces.
 */
public record Rule(String id, String file, String version, RuleDefinition definition, Condition condition, Timing timing) {

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

    public List<RuleDefinition.Action> actions() {
        return definition.actions();
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
        return definition.limits() == null || definition.limits().quietHours() == null || definition.limits().quietHours();
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
            case AFTER -> trigger.after().delay() + " after '" + trigger.after().event() + "'"
                    + (trigger.after().unless() == null ? "" : " unless '" + trigger.after().unless() + "'");
            case INACTIVITY -> "no '" + trigger.inactivity().event() + "' for " + trigger.inactivity().idleFor();
            case SEGMENT -> trigger.segment().enter() != null ? "entering segment '" + trigger.segment().enter() + "'"
                    : "leaving segment '" + trigger.segment().exit() + "'";
        };
    }
}
