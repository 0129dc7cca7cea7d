package dev.kizuna.segments;

import dev.kizuna.expression.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What rules/segments.yaml, activation.yaml and health.yaml define, validated and compiled.
 * Maps keep the files' order.
 */
public record ProfileDefinitions(
        Map<String, SegmentDefinition> segments,
        Map<String, MilestoneDefinition> milestones,
        List<String> activatedWhen,
        Duration activationWindow,
        Condition churnedWhen,
        Condition atRiskWhen,
        Map<String, HealthSignal> healthSignals,
        List<HealthBand> healthBands) {

    public static final ProfileDefinitions NONE = new ProfileDefinitions(
            Map.of(),
            Map.of(),
            List.of(),
            Duration.ofDays(14),
            Condition.compile("false"),
            Condition.compile("false"),
            Map.of(),
            List.of());

    /** A named condition over account state. */
    public record SegmentDefinition(String name, String description, Condition condition) {}

    /** A step towards activation: an event done at least {@code count} times. */
    public record MilestoneDefinition(String name, String description, String event, long count) {}

    /** A weighted signal of health: an expression giving a number from 0 to 1. */
    public record HealthSignal(String name, double weight, Condition value) {}

    /** A risk band: scores at or above {@code min} (and below the band above) fall in it. */
    public record HealthBand(String name, int min) {}
}
