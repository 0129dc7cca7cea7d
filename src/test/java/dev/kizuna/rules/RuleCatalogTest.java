package dev.kizuna.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.delivery.WebhookTargets;
import dev.kizuna.segments.TestProfiles;
import dev.kizuna.templates.TestTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleCatalogTest {

    private static final WebhookTargets NO_WEBHOOK_TARGETS = new NoWebhookTargets();

    @TempDir
    Path rules;

    private static RuleCatalog catalogOf(Path dir) {
        return new RuleCatalog(
                TestProfiles.rulesConfig(dir),
                TestTemplates.catalog(Path.of("templates")),
                TestProfiles.catalog(dir),
                NO_WEBHOOK_TARGETS);
    }

    @Test
    void loadsTheSampleRules() {
        RuleCatalog catalog = catalogOf(Path.of("rules"));
        catalog.reload();
        assertEquals(
                0,
                catalog.current().problems().size(),
                () -> catalog.current().problems().toString());
        assertTrue(catalog.rules().size() >= 4);
        assertEquals(1, catalog.triggeredBy("Signed Up").size());
    }

    @Test
    void anInvalidEditKeepsTheLastGoodVersionRunningAndReportsTheError() throws IOException {
        Path file = rules.resolve("welcome.yaml");
        Files.writeString(file, """
                trigger:
                  event: Signed Up
                actions:
                  - channel: email
                    template: welcome
                """);
        RuleCatalog catalog = catalogOf(rules);
        catalog.reload();
        String goodVersion = catalog.current().rules().get("welcome").version();

        Files.writeString(file, "trigger:\n  event: Signed Up\nactions: nope\n");
        catalog.reload();

        assertEquals(goodVersion, catalog.current().rules().get("welcome").version());
        assertEquals(1, catalog.current().problems().size());
        assertEquals("welcome.yaml", catalog.current().problems().get(0).file());
        assertEquals(3, catalog.current().problems().get(0).line());
    }

    @Test
    void sharedDefinitionFilesAreNotReadAsRules() throws IOException {
        Files.writeString(
                rules.resolve("segments.yaml"), "segments:\n  trial:\n    condition: account.plan == 'trial'\n");
        RuleCatalog catalog = catalogOf(rules);
        catalog.reload();
        assertEquals(
                0,
                catalog.current().problems().size(),
                () -> catalog.current().problems().toString());
        assertEquals(0, catalog.rules().size());
    }

    @Test
    void aMissingFolderIsAProblemNotACrash() {
        RuleCatalog catalog = catalogOf(rules.resolve("absent"));
        catalog.reload();
        assertEquals(0, catalog.rules().size());
        assertTrue(catalog.current().problems().get(0).message().contains("does not exist"));
    }

    @Test
    void aSharedDefinitionFileOfTheWrongShapeIsToldInYamlTerms() throws IOException {
        Files.writeString(rules.resolve("segments.yaml"), "segments:\n  trial: account.plan == 'trial'\n");
        RuleCatalog catalog = catalogOf(rules);
        catalog.reload();
        var problem = catalog.current().problems().stream()
                .filter(p -> "segments.yaml".equals(p.file()))
                .findFirst()
                .orElseThrow();
        assertEquals(2, problem.line());
        assertEquals(
                "segments.trial: expected keys description, condition; found \"account.plan == 'trial'\"",
                problem.message());
    }

    @Test
    void aSegmentConditionThatReachesForAJavaClassIsRefused() throws IOException {
        Files.writeString(
                rules.resolve("segments.yaml"), "segments:\n  sneaky:\n    condition: account.class != null\n");
        RuleCatalog catalog = catalogOf(rules);
        catalog.reload();
        var problem = catalog.current().problems().stream()
                .filter(p -> "segments.yaml".equals(p.file()))
                .findFirst()
                .orElseThrow();
        assertEquals(3, problem.line());
        assertTrue(problem.message().contains("'account.class'"), problem.message());
    }

    /**
     * Named rather than anonymous: Quarkus marks the methods of a class implementing a mapping with
     * constraints for validation, and CDI forbids that on an anonymous class.
     */
    private static final class NoWebhookTargets implements WebhookTargets {

        @Override
        public java.util.Map<String, Target> targets() {
            return java.util.Map.of();
        }

        @Override
        public java.time.Duration sendTimeout() {
            return java.time.Duration.ofSeconds(10);
        }
    }
}
