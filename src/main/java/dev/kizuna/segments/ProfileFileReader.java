package dev.kizuna.segments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kizuna.common.Durations;
import dev.kizuna.common.YamlLines;
import dev.kizuna.common.YamlMismatch;
import dev.kizuna.expression.Condition;
import dev.kizuna.problem.Problem.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads segments.yaml, activation.yaml and health.yaml; every problem names the file and line. */
final class ProfileFileReader {

    static final String SEGMENTS = "segments.yaml";
    static final String ACTIVATION = "activation.yaml";
    static final String HEALTH = "health.yaml";

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record SegmentsFile(Map<String, SegmentEntry> segments) {}

    record SegmentEntry(String description, String condition) {}

    record ActivationFile(
            String window,
            Map<String, MilestoneEntry> milestones,

            @com.fasterxml.jackson.annotation.JsonProperty("activated_when")
            List<String> activatedWhen,

            Lifecycle lifecycle) {}

    record MilestoneEntry(String description, String event, Long count) {}

    record Lifecycle(
            String churned,

            @com.fasterxml.jackson.annotation.JsonProperty("at_risk")
            String atRisk) {}

    record HealthFile(Map<String, SignalEntry> signals, Map<String, Integer> bands) {}

    record SignalEntry(Double weight, String value, String description) {}

    private final List<Violation> problems = new ArrayList<>();

    List<Violation> problems() {
        return problems;
    }

    Map<String, ProfileDefinitions.SegmentDefinition> segments(String content) {
        Map<String, ProfileDefinitions.SegmentDefinition> segments = new LinkedHashMap<>();
        SegmentsFile file = parse(SEGMENTS, content, SegmentsFile.class);
        if (file == null || file.segments() == null) {
            return segments;
        }
        YamlLines lines = YamlLines.of(content);
        file.segments().forEach((name, entry) -> {
            String at = "/segments/" + name;
            if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
                problems.add(Violation.inFile(
                        SEGMENTS,
                        lines.lineOf(at),
                        "segment name '" + name + "' must be lower-case letters, digits, - and _"));
                return;
            }
            Condition condition = compile(
                    SEGMENTS,
                    lines.lineOf(at + "/condition"),
                    entry == null ? null : entry.condition(),
                    "segment '" + name + "' condition");
            if (condition != null) {
                segments.put(name, new ProfileDefinitions.SegmentDefinition(name, entry.description(), condition));
            }
        });
        return segments;
    }

    /** Fills activation and lifecycle into {@code into}; returns false if the file has problems. */
    ActivationParts activation(String content) {
        ActivationFile file = parse(ACTIVATION, content, ActivationFile.class);
        if (file == null) {
            return null;
        }
        YamlLines lines = YamlLines.of(content);
        Map<String, ProfileDefinitions.MilestoneDefinition> milestones = new LinkedHashMap<>();
        int before = problems.size();
        if (file.milestones() != null) {
            file.milestones().forEach((name, entry) -> {
                if (entry == null || entry.event() == null || entry.event().isBlank()) {
                    problems.add(Violation.inFile(
                            ACTIVATION,
                            lines.lineOf("/milestones/" + name),
                            "milestone '" + name + "' needs an event"));
                    return;
                }
                long count = entry.count() == null ? 1 : entry.count();
                if (count < 1) {
                    problems.add(Violation.inFile(
                            ACTIVATION, lines.lineOf("/milestones/" + name + "/count"), "count must be at least 1"));
                    return;
                }
                milestones.put(
                        name,
                        new ProfileDefinitions.MilestoneDefinition(name, entry.description(), entry.event(), count));
            });
        }
        List<String> activatedWhen = file.activatedWhen() == null ? List.of() : file.activatedWhen();
        for (int i = 0; i < activatedWhen.size(); i++) {
            if (!milestones.containsKey(activatedWhen.get(i))) {
                problems.add(Violation.inFile(
                        ACTIVATION,
                        lines.lineOf("/activated_when/" + i),
                        "activated_when names '" + activatedWhen.get(i) + "', which is not a milestone"));
            }
        }
        Duration window = Duration.ofDays(14);
        if (file.window() != null) {
            try {
                window = Durations.parse(file.window());
            } catch (IllegalArgumentException e) {
                problems.add(Violation.inFile(ACTIVATION, lines.lineOf("/window"), e.getMessage()));
            }
        }
        Condition churned = compile(
                ACTIVATION,
                lines.lineOf("/lifecycle/churned"),
                file.lifecycle() == null ? null : file.lifecycle().churned(),
                "lifecycle.churned");
        Condition atRisk = compile(
                ACTIVATION,
                lines.lineOf("/lifecycle/at_risk"),
                file.lifecycle() == null ? null : file.lifecycle().atRisk(),
                "lifecycle.at_risk");
        if (problems.size() > before) {
            return null;
        }
        return new ActivationParts(
                milestones,
                activatedWhen,
                window,
                file.lifecycle() == null || file.lifecycle().churned() == null ? Condition.compile("false") : churned,
                file.lifecycle() == null || file.lifecycle().atRisk() == null ? Condition.compile("false") : atRisk);
    }

    record ActivationParts(
            Map<String, ProfileDefinitions.MilestoneDefinition> milestones,
            List<String> activatedWhen,
            Duration window,
            Condition churnedWhen,
            Condition atRiskWhen) {}

    record HealthParts(
            Map<String, ProfileDefinitions.HealthSignal> signals, List<ProfileDefinitions.HealthBand> bands) {}

    HealthParts health(String content) {
        HealthFile file = parse(HEALTH, content, HealthFile.class);
        if (file == null) {
            return null;
        }
        YamlLines lines = YamlLines.of(content);
        int before = problems.size();
        Map<String, ProfileDefinitions.HealthSignal> signals = new LinkedHashMap<>();
        if (file.signals() != null) {
            file.signals().forEach((name, entry) -> {
                String at = "/signals/" + name;
                if (entry == null || entry.weight() == null || entry.weight() <= 0) {
                    problems.add(Violation.inFile(
                            HEALTH, lines.lineOf(at), "signal '" + name + "' needs a positive weight"));
                    return;
                }
                Condition value =
                        compile(HEALTH, lines.lineOf(at + "/value"), entry.value(), "signal '" + name + "' value");
                if (value != null) {
                    signals.put(name, new ProfileDefinitions.HealthSignal(name, entry.weight(), value));
                }
            });
        }
        List<ProfileDefinitions.HealthBand> bands = new ArrayList<>();
        if (file.bands() != null) {
            file.bands().forEach((name, min) -> {
                if (min == null || min < 0 || min > 100) {
                    problems.add(Violation.inFile(
                            HEALTH,
                            lines.lineOf("/bands/" + name),
                            "band '" + name + "' needs a minimum score from 0 to 100"));
                } else {
                    bands.add(new ProfileDefinitions.HealthBand(name, min));
                }
            });
        }
        bands.sort(Comparator.comparingInt(ProfileDefinitions.HealthBand::min).reversed());
        if (!bands.isEmpty() && bands.get(bands.size() - 1).min() != 0) {
            problems.add(Violation.inFile(
                    HEALTH, lines.lineOf("/bands"), "the lowest band must start at 0, so that every score has a band"));
        }
        return problems.size() > before ? null : new HealthParts(signals, bands);
    }

    private <T> T parse(String file, String content, Class<T> type) {
        try {
            T parsed = YAML.readValue(content, type);
            if (parsed == null) {
                problems.add(Violation.inFile(file, 1, "the file is empty"));
            }
            return parsed;
        } catch (JsonProcessingException e) {
            Integer line = e.getLocation() == null || e.getLocation().getLineNr() < 0
                    ? null
                    : e.getLocation().getLineNr();
            if (e instanceof JsonMappingException mapping) {
                YamlMismatch mismatch = YamlMismatch.of(mapping, YAML);
                Integer keyLine = YamlLines.of(content).lineOf(mismatch.pointer());
                problems.add(Violation.inFile(file, keyLine != null ? keyLine : line, mismatch.describe()));
            } else {
                problems.add(Violation.inFile(
                        file,
                        line,
                        e.getOriginalMessage()
                                .replaceAll("\\(class [^)]*\\)", "")
                                .strip()));
            }
            return null;
        }
    }

    private Condition compile(String file, Integer line, String source, String what) {
        if (source == null || source.isBlank()) {
            problems.add(Violation.inFile(file, line, what + " is required"));
            return null;
        }
        try {
            return Condition.compile(source);
        } catch (Condition.InvalidCondition e) {
            problems.add(Violation.inFile(file, line, what + " does not compile: " + e.getMessage()));
            return null;
        }
    }
}
