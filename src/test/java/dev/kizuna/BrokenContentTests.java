package dev.kizuna;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A broken rule file or template is reported with its file and line, and everything else keeps working. */
@QuarkusTest
@TestProfile(FaultyContentProfile.class)
class BrokenContentTests {

    /**
     * A reload is seen within a second on an idle machine; a loaded one (a full build beside a
     * database) has taken more than ten. Waiting returns as soon as the reload is seen.
     */
    private static final Duration RELOAD_PATIENCE = Duration.ofSeconds(60);

    @Test
    void theBrokenRuleFileIsReportedWithFileAndLine() {
        asAdmin()
                .get("/api/rules")
                .then()
                .statusCode(200)
                .body("problems.find { it.file == 'broken.yaml' }.line", equalTo(3))
                .body("rules.id", hasItem("welcome-new-workspace"));
    }

    @Test
    void theBrokenTemplateIsReportedWithFileAndLine() {
        asAdmin()
                .get("/api/templates")
                .then()
                .statusCode(200)
                .body("problems.findAll { it.file.startsWith('broken-promo/') }", hasSize(1))
                .body("problems.find { it.file == 'broken-promo/subject.ftl' }.line", equalTo(2))
                .body("problems.find { it.file == 'broken-promo/subject.ftl' }.message", containsString("unclosed"));
    }

    @Test
    void aChangedRuleFileIsReloadedByItselfAndAnInvalidEditKeepsTheLastGoodVersion() throws IOException {
        Path rules = Path.of(
                org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("kizuna.rules.dir", String.class));
        Path file = rules.resolve("hot-reload.yaml");
        try {
            Files.writeString(
                    file, "trigger:\n  event: Hot Event\nactions:\n  - channel: inapp\n    template: help-offer\n");
            String version = await().atMost(RELOAD_PATIENCE)
                    .until(
                            () -> asAdmin()
                                    .get("/api/rules")
                                    .then()
                                    .extract()
                                    .<String>path("rules.find { it.id == 'hot-reload' }.version"),
                            java.util.Objects::nonNull);

            Files.writeString(file, "trigger:\n  event: Hot Event\nactions: not-a-list\n");
            await().atMost(RELOAD_PATIENCE)
                    .untilAsserted(() -> asAdmin()
                            .get("/api/rules")
                            .then()
                            .body("problems.file", hasItem("hot-reload.yaml"))
                            .body("rules.find { it.id == 'hot-reload' }.version", equalTo(version))
                            .body("rules.find { it.id == 'hot-reload' }.state", containsString("last good version")));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aPreviewOfATemplateThatDoesNotRenderForTheRecipientSaysWhereAndWhy() {
        SegmentCalls.identify("broken-u2", Map.of("email", "c@broken.example")).statusCode(200);
        asAdmin()
                .contentType("application/json")
                .body(Map.of("userId", "broken-u2"))
                .post("/api/templates/needs-a-trait/preview")
                .then()
                .statusCode(422)
                .body("detail", containsString("needs-a-trait/html.ftlh line 2"))
                .body("detail", containsString("account"));
    }

    @Test
    void theRestKeepsRunning() {
        SegmentCalls.identify("broken-u1", Map.of("email", "b@broken.example")).statusCode(200);
        SegmentCalls.group("broken-u1", "broken-a1", Map.of("plan", "trial")).statusCode(200);
        SegmentCalls.track("broken-u1", "Signed Up", "broken-a1", null).statusCode(200);
        asProduct()
                .queryParam("userId", "broken-u1")
                .get("/v1/nudges")
                .then()
                .statusCode(200)
                .body("nudges[0].title", equalTo("Start with your first project"));
    }
}
