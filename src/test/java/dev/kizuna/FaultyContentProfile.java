package dev.kizuna;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A copy of the samples with content that goes wrong: a rule file that is not YAML, a template
 * that does not parse, one that needs a trait a recipient may not have; and templates that would
 * take the server down or hide their reason (one writes without end, one loops without writing,
 * one includes /etc/passwd, one has an unquoted colon in its template.yaml), each with a rule on
 * "Runaway Tried", under small output and time limits. The broken-content and runaway-template
 * tests share it, so Quarkus starts once for both.
 */
public class FaultyContentProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path root = TestFolders.copyOfSamples("kizuna-faulty-content");
            Path rules = root.resolve("rules");
            Path templates = root.resolve("templates");

            Files.writeString(rules.resolve("broken.yaml"), "name: Broken\ntrigger:\n  event: [Signed Up\n");
            Files.createDirectories(templates.resolve("broken-promo"));
            Files.writeString(templates.resolve("broken-promo/subject.ftl"), "Hello\n${user.first_name");
            Files.createDirectories(templates.resolve("needs-a-trait"));
            Files.writeString(templates.resolve("needs-a-trait/subject.ftl"), "Hello");
            Files.writeString(
                    templates.resolve("needs-a-trait/html.ftlh"), "<p>Hello</p>\n<p>${account.traits.seats}</p>");
            Files.writeString(templates.resolve("needs-a-trait/text.ftl"), "Hello");

            email(templates, "output-bomb", "<p>Hi</p>\n<#list 1..2000000000 as i>${i}</#list>");
            email(templates, "reads-passwd", "<p>Hi</p>\n<#include \"/etc/passwd\">");
            email(templates, "colon-in-description", "<p>Hi</p>");
            Files.writeString(
                    templates.resolve("colon-in-description/template.yaml"),
                    "category: product\ndescription: Launch: our new feature\n");
            Path timeBomb = Files.createDirectories(templates.resolve("time-bomb"));
            Files.writeString(timeBomb.resolve("nudge-title.ftl"), "Never shown");
            Files.writeString(timeBomb.resolve("nudge-body.ftl"), "Body\n<#list 1..2000000000 as i></#list>");
            runawayRule(rules, "runaway-email", 10, "email", "output-bomb");
            runawayRule(rules, "runaway-nudge", 5, "inapp", "time-bomb");
            runawayRule(rules, "sane-nudge", 1, "inapp", "help-offer");
            runawayRule(rules, "launch-announcement", 1, "email", "colon-in-description");
            return Map.of(
                    "kizuna.rules.dir",
                    rules.toString(),
                    "kizuna.templates.dir",
                    templates.toString(),
                    "kizuna.templates.max-output",
                    "100000",
                    "kizuna.templates.render-timeout",
                    "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void email(Path templates, String id, String html) throws IOException {
        Path folder = Files.createDirectories(templates.resolve(id));
        Files.writeString(folder.resolve("subject.ftl"), "Hello");
        Files.writeString(folder.resolve("html.ftlh"), html);
        Files.writeString(folder.resolve("text.ftl"), "Hi");
    }

    private static void runawayRule(Path rules, String id, int priority, String channel, String template)
            throws IOException {
        Files.writeString(
                rules.resolve(id + ".yaml"),
                "priority: " + priority + "\ntrigger:\n  event: Runaway Tried\n" + "actions:\n  - channel: " + channel
                        + "\n    template: " + template + "\n");
    }
}
