package dev.kizuna.delivery.inapp;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.delivery.inapp.ProductEvents.createFirstProject;
import static dev.kizuna.delivery.inapp.ProductEvents.identify;
import static dev.kizuna.delivery.inapp.ProductEvents.pendingNudges;
import static dev.kizuna.delivery.inapp.ProductEvents.signUpForTrial;
import static dev.kizuna.delivery.inapp.ProductEvents.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kizuna.TestClock;
import dev.kizuna.TestFolders;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * template.yaml's placement and expires_after, over a copy of the samples with two test
 * templates: a tip shown inline for 12 hours, and an offer with a placement that does not exist.
 * The clock is the test's, so that time can pass.
 */
@QuarkusTest
@TestProfile(NudgePlacementAndExpiryTests.SamplesWithTestNudges.class)
class NudgePlacementAndExpiryTests {

    public static class SamplesWithTestNudges implements QuarkusTestProfile {

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(TestClock.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path root = TestFolders.copyOfSamples("kizuna-nudge-templates");
                inAppTemplate(root, "inline-tip", "placement: inline\nexpires_after: 12h\n");
                inAppTemplate(root, "popover-offer", "placement: popover\n");
                inAppRule(root, "show-tip", "Tip Requested", "inline-tip");
                inAppRule(root, "show-popover", "Popover Requested", "popover-offer");
                return Map.of(
                        "kizuna.rules.dir",
                        root.resolve("rules").toString(),
                        "kizuna.templates.dir",
                        root.resolve("templates").toString(),
                        "kizuna.rules.timer-poll",
                        "off",
                        "kizuna.delivery.poll-interval",
                        "off");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void inAppTemplate(Path root, String id, String metadata) throws IOException {
            Path folder = Files.createDirectories(root.resolve("templates").resolve(id));
            Files.writeString(folder.resolve("nudge-title.ftl"), "A nudge from " + id);
            Files.writeString(folder.resolve("nudge-body.ftl"), "Shown to ${user.id}.");
            Files.writeString(folder.resolve("template.yaml"), "description: test nudge\n" + metadata);
        }

        private static void inAppRule(Path root, String id, String event, String template) throws IOException {
            Files.writeString(
                    root.resolve("rules").resolve(id + ".yaml"),
                    "trigger:\n  event: " + event + "\nactions:\n  - channel: inapp\n    template: " + template + "\n");
        }
    }

    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URI base;

    @Test
    void theListShowsEachNudgesPlacementAndExpiry() {
        clock.set(Instant.parse("2027-04-05T09:00:00Z"));
        signUpForTrial("pe-ada", "pe-acme");
        createFirstProject("pe-ada", "pe-acme");
        track("pe-ada", "pe-acme", "Tip Requested");

        JsonPath nudges = pendingNudges("pe-ada");
        assertEquals(
                List.of("Start with your first project", "Projects go faster together", "A nudge from inline-tip"),
                nudges.getList("nudges.title"));
        assertEquals(
                List.of("modal", "banner", "inline"),
                nudges.getList("nudges.placement"),
                "banner when the template names none");
        assertEquals(
                "2027-04-19T09:00:00Z",
                nudges.getString("nudges[0].expiresAt"),
                "create-first-project: expires_after 14d");
        assertNull(nudges.get("nudges[1].expiresAt"), "invite-teammates has no expires_after: it never expires");
        assertEquals("2027-04-05T21:00:00Z", nudges.getString("nudges[2].expiresAt"));
    }

    @Test
    void aNudgePastItsExpiryIsNoLongerListedNorStreamed() throws Exception {
        clock.set(Instant.parse("2027-05-03T09:00:00Z"));
        signUpForTrial("pe-grace", "pe-navy");
        track("pe-grace", "pe-navy", "Tip Requested");

        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertEquals(
                List.of("modal", "inline"),
                pendingNudges("pe-grace").getList("nudges.placement"),
                "a second before the tip expires");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(
                List.of("modal"), pendingNudges("pe-grace").getList("nudges.placement"), "the 12-hour tip has expired");

        clock.advance(Duration.ofDays(14));
        assertEquals(
                List.of(),
                pendingNudges("pe-grace").getList("nudges"),
                "so has the 14-day pointer to the first project");
        try (SseClient stream = SseClient.open(base, "pe-grace")) {
            assertNull(stream.poll(Duration.ofSeconds(1)), "nothing expired is sent on connect");
        }
    }

    @Test
    void anUnknownPlacementFailsTheMessageVisiblyNamingTheTemplateFile() {
        clock.set(Instant.parse("2027-06-07T09:00:00Z"));
        identify("pe-linus");
        track("pe-linus", "pe-kernel", "Popover Requested");

        assertEquals(List.of(), pendingNudges("pe-linus").getList("nudges"));
        JsonPath messages = asAdmin()
                .queryParam("userId", "pe-linus")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("failed"), messages.getList("items.status"));
        assertEquals("show-popover", messages.getString("items[0].rule"));
        assertEquals(
                "template failed: popover-offer/template.yaml: placement 'popover' is not one of banner, modal, toast, inline",
                messages.getString("items[0].error"));
    }
}
