package dev.kizuna.tracking;

import dev.kizuna.ScenarioProfile;
import dev.kizuna.TestFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenarios over a copy of the samples with three rules that use Kizuna's own engagement events
 * (a click on the welcome email, no click two days on, a report viewed) and a newsletter that
 * needs consent (an opt-in template, a digest of the same category, a rule sending it on
 * "Newsletter Due"). The engagement and consent tests share it, so Quarkus starts once for both.
 */
public class EngagementAndConsentProfile extends ScenarioProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path root = TestFolders.copyOfSamples("kizuna-engagement-and-consent");
            Path rules = root.resolve("rules");
            Files.writeString(rules.resolve("thank-clickers.yaml"), """
                    name: Follow a click on the welcome email with the in-app tip
                    trigger:
                      event: kizuna.email.clicked
                    condition: event.properties.rule == 'welcome-new-workspace'
                    actions:
                      - channel: inapp
                        template: create-first-project
                    """);
            Files.writeString(rules.resolve("nudge-non-clickers.yaml"), """
                    name: Two days on, show the tip to those who did not click the welcome email
                    trigger:
                      after:
                        event: Signed Up
                        delay: 2d
                    condition: "!clicked('welcome-new-workspace')"
                    actions:
                      - channel: inapp
                        template: create-first-project
                    """);
            Files.writeString(rules.resolve("report-tip.yaml"), """
                    name: A tip on reports, for those who view one
                    trigger:
                      event: Report Viewed
                    actions:
                      - channel: inapp
                        template: create-first-project
                    goal:
                      event: Project Created
                      within: 7d
                    """);
            Path newsletter = Files.createDirectories(root.resolve("templates").resolve("newsletter"));
            Files.writeString(newsletter.resolve("template.yaml"), "category: news\nopt_in: true\n");
            Files.writeString(newsletter.resolve("subject.ftl"), "Tasklane news");
            Files.writeString(
                    newsletter.resolve("html.ftlh"),
                    "<#import \"/layouts/email.ftlh\" as layout>\n<@layout.page title=\"News\"><p>What is new this month.</p></@layout.page>");
            Files.writeString(
                    newsletter.resolve("text.ftl"), "What is new this month.\n\n<#include \"/partials/footer.ftl\">");
            Path digest = Files.createDirectories(root.resolve("templates").resolve("news-digest"));
            Files.writeString(digest.resolve("template.yaml"), "category: news\n");
            for (String file : List.of("subject.ftl", "html.ftlh", "text.ftl")) {
                Files.copy(newsletter.resolve(file), digest.resolve(file));
            }
            Files.writeString(rules.resolve("newsletter.yaml"), """
                    name: The monthly newsletter, to those who opted in
                    trigger:
                      event: Newsletter Due
                    actions:
                      - channel: email
                        template: newsletter
                    """);
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("kizuna.rules.dir", rules.toString());
            overrides.put("kizuna.templates.dir", root.resolve("templates").toString());
            return overrides;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
