package dev.kizuna;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Health measured against churn over simulated years: the test clock, no rules (only segments,
 * activation and a health of two signals: usage, built to predict churn, and noise, drawn at
 * signup, which does not), and no scheduled health snapshots, so that the test takes them.
 */
public class HealthCalibrationProfile extends ScenarioProfile {

    public static final String HEALTH = """
            signals:
              usage:
                description: Logins in the last 30 days, 2 or more is full marks
                weight: 80
                value: "ratio(count_in_last('Logged In', 30), 2)"
              noise:
                description: A number drawn at signup, unrelated to churn (the control)
                weight: 20
                value: "account.traits.noise"
            bands:
              healthy: 60
              churn_suspected: 30
              churn_imminent: 0
            """;

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path root = TestFolders.copyOfSamples("kizuna-health");
            try (Stream<Path> files = Files.list(root.resolve("rules"))) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".yaml")
                            && !Stream.of("segments.yaml", "activation.yaml").anyMatch(name::equals)) {
                        Files.delete(file);
                    }
                }
            }
            Files.writeString(root.resolve("rules/health.yaml"), HEALTH);
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("kizuna.rules.dir", root.resolve("rules").toString());
            overrides.put("kizuna.templates.dir", root.resolve("templates").toString());
            overrides.put("kizuna.reports.health-snapshot-cron", "off");
            return overrides;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
