package dev.kizuna;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Scenarios over simulated days with sequences: the samples and three sequence rules of the tests. */
public class SequenceProfile extends ScenarioProfile {

    public static final String ONBOARDING = """
            name: Trial onboarding, in three steps
            trigger:
              event: Trial Started
            audience: [trial]
            exit_on_audience_leave: true
            limits:
              once_per: user
            goal:
              milestone: created_project
            steps:
              - name: welcome
                actions:
                  - channel: email
                    template: welcome
              - name: tip-for-non-clickers
                wait: 2d
                if: "!clicked('trial-sequence')"
                actions:
                  - channel: inapp
                    template: create-first-project
              - name: reminder
                wait: 3d
                actions:
                  - channel: email
                    template: first-project-reminder
            """;

    public static final String EDITED_BEFORE = """
            trigger:
              event: Edited Started
            limits:
              once_per: user
            steps:
              - name: hello
                actions:
                  - channel: inapp
                    template: create-first-project
              - name: follow-up
                wait: 1d
                actions:
                  - channel: email
                    template: first-project-reminder
              - name: last-word
                wait: 1d
                actions:
                  - channel: email
                    template: onboarding-checkin
            """;

    /** The edit: follow-up sends another template, last-word is gone. */
    public static final String EDITED_AFTER = cutAt(
            EDITED_BEFORE.replace("template: first-project-reminder", "template: onboarding-checkin"),
            "  - name: last-word");

    private static String cutAt(String text, String from) {
        return text.substring(0, text.indexOf(from));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path root = TestFolders.copyOfSamples("kizuna-sequences");
            Files.writeString(root.resolve("rules/trial-sequence.yaml"), ONBOARDING);
            Files.writeString(root.resolve("rules/edited-sequence.yaml"), EDITED_BEFORE);
            // For the rules page's funnel (UiSequenceFunnelTests): the onboarding on an event of its own.
            Files.writeString(
                    root.resolve("rules/ui-sequence.yaml"),
                    ONBOARDING
                            .replace("event: Trial Started", "event: UI Sequence Started")
                            .replace("clicked('trial-sequence')", "clicked('ui-sequence')"));
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("kizuna.rules.dir", root.resolve("rules").toString());
            overrides.put("kizuna.templates.dir", root.resolve("templates").toString());
            return overrides;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
