package dev.kizuna.decisions;

import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.Scenario;
import dev.kizuna.SegmentCalls;
import dev.kizuna.SequenceProfile;
import dev.kizuna.TestClock;
import dev.kizuna.TestSmtp;
import dev.kizuna.delivery.EmailSender;
import dev.kizuna.rules.HoldoutAssignment;
import dev.kizuna.rules.RuleCatalog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sequences over simulated days: a trial onboarding of three steps (a welcome email at entry,
 * two days later an in-app tip for those who did not click the welcome, three days after that a
 * reminder), left on reaching the goal, on unsubscribing, on leaving the audience; a file edited
 * while recipients are inside; an instance that claimed due steps and died.
 */
@QuarkusTest
@TestProfile(SequenceProfile.class)
class SequenceScenarioTests {

    private static final Pattern TRACKED_LINK = Pattern.compile("href=\"(http://localhost:8081/t/c/[^\"]+)\"");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Inject
    TestClock clock;

    @Inject
    Sweeps sweeps;

    @Inject
    EmailSender emails;

    @Inject
    SequenceEntries entries;

    @Inject
    RuleCatalog catalog;

    @Test
    void recipientsGoThroughTheStepsBranchOnAClickAndLeaveOnGoalUnsubscribeOrAudience() throws Exception {
        clock.set(Instant.parse("2027-01-04T10:00:00Z"));
        for (String who : List.of("clicker", "quiet", "builder", "unsubscriber", "upgrader")) {
            start("seq-" + who, "u-seq-" + who);
        }
        for (String who : List.of("clicker", "quiet", "builder", "unsubscriber", "upgrader")) {
            assertEquals(List.of("welcome:going"), stepsOf("u-seq-" + who), who + " entered with the first step");
        }
        emails.drain();
        click(emailTo("u-seq-clicker@seq.example"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> eventNames("seq-clicker").contains("kizuna.email.clicked"));

        clock.set(clock.instant().plus(Duration.ofDays(1)));
        track("u-seq-builder", "seq-builder", "Project Created");
        asAdmin()
                .contentType("application/json")
                .body(Map.of("subscribed", false))
                .put("/api/users/u-seq-unsubscriber/preferences/onboarding")
                .then()
                .statusCode(200);
        SegmentCalls.group("u-seq-upgrader", "seq-upgrader", Map.of("plan", "business"))
                .statusCode(200);

        clock.set(Instant.parse("2027-01-06T10:01:00Z"));
        sweeps.runDueTimers();
        assertEquals(List.of("welcome:going"), stepsOf("u-seq-clicker"), "the click took the other branch: no tip");
        assertEquals("skipped", stepOutcome("u-seq-clicker", "tip-for-non-clickers"));
        assertEquals(List.of("welcome:going", "tip-for-non-clickers:sent"), stepsOf("u-seq-quiet"));
        assertEquals(
                "goal reached: milestone 'created_project'",
                sequenceOf("seq-builder", "u-seq-builder").get("exitReason"));
        assertEquals(
                "left the audience [trial]",
                sequenceOf("seq-upgrader", "u-seq-upgrader").get("exitReason"));
        assertEquals(
                List.of("welcome:going", "tip-for-non-clickers:sent"),
                stepsOf("u-seq-unsubscriber"),
                "the tip is in-app: it goes");

        Map<String, Object> waiting = sequenceOf("seq-quiet", "u-seq-quiet");
        assertEquals("reminder", waiting.get("nextStep"));
        assertEquals("2027-01-09T10:01:00Z", waiting.get("dueAt"), "three days after the step before");

        clock.set(Instant.parse("2027-01-09T10:02:00Z"));
        sweeps.runDueTimers();
        assertEquals(List.of("welcome:going", "tip-for-non-clickers:sent", "reminder:going"), stepsOf("u-seq-quiet"));
        assertEquals(List.of("welcome:going", "reminder:going"), stepsOf("u-seq-clicker"));
        assertEquals("completed", sequenceOf("seq-quiet", "u-seq-quiet").get("exitReason"));
        assertEquals(
                "unsubscribed from 'onboarding' emails",
                sequenceOf("seq-unsubscriber", "u-seq-unsubscriber").get("exitReason"));

        Map<String, Object> funnel = asAdmin()
                .get("/api/rules/trial-sequence/sequence")
                .then()
                .statusCode(200)
                .extract()
                .path("");
        assertEquals(5, funnel.get("entered"));
        assertEquals(0, funnel.get("active"));
        assertEquals(Map.of("sent", 5, "skipped", 0), ((Map<?, ?>) funnel.get("steps")).get("welcome"));
        assertEquals(Map.of("sent", 2, "skipped", 1), ((Map<?, ?>) funnel.get("steps")).get("tip-for-non-clickers"));
        assertEquals(Map.of("sent", 2, "skipped", 0), ((Map<?, ?>) funnel.get("steps")).get("reminder"));
        assertEquals(
                Map.of(
                        "completed",
                        2,
                        "goal reached: milestone 'created_project'",
                        1,
                        "left the audience [trial]",
                        1,
                        "unsubscribed from 'onboarding' emails",
                        1),
                funnel.get("exited"));

        // Entering again is limited as any rule is: once per user.
        start("seq-quiet", "u-seq-quiet");
        assertEquals(
                5,
                ((Number) asAdmin()
                                .get("/api/rules/trial-sequence/sequence")
                                .then()
                                .extract()
                                .path("entered"))
                        .intValue());
    }

    @Test
    void anEditedSequenceTakesItsRecipientsOnByStepName() throws IOException {
        clock.set(Instant.parse("2027-02-01T10:00:00Z"));
        start("seq-edit-a", "u-seq-edit-a");
        Path file = Path.of(ConfigProvider.getConfig().getValue("kizuna.rules.dir", String.class))
                .resolve("edited-sequence.yaml");
        Files.writeString(file, SequenceProfile.EDITED_AFTER);
        try {
            catalog.reload();
            clock.set(clock.instant().plus(Duration.ofDays(1).plusMinutes(1)));
            sweeps.runDueTimers();
            List<Map<String, Object>> followUp = asAdmin()
                    .queryParam("userId", "u-seq-edit-a")
                    .queryParam("rule", "edited-sequence")
                    .queryParam("channel", "email")
                    .get("/api/messages")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("items");
            assertEquals(1, followUp.size(), String.valueOf(followUp));
            assertEquals("onboarding-checkin", followUp.get(0).get("template"), "the step as the file says now");
            assertTrue(
                    String.valueOf(((Map<?, ?>) followUp.get(0).get("cause")).get("ref"))
                            .endsWith("/follow-up"),
                    "the message names its entry and step: " + followUp.get(0).get("cause"));
            assertEquals(
                    "completed",
                    sequenceOf("seq-edit-a", "u-seq-edit-a").get("exitReason"),
                    "last-word is gone: follow-up was the last");
        } finally {
            Files.writeString(file, SequenceProfile.EDITED_BEFORE);
            catalog.reload();
        }
    }

    @Test
    void stepsClaimedByAnInstanceThatDiedAreTakenOnceTheClaimExpiresAndDecidedOnce() {
        clock.set(Instant.parse("2027-03-01T10:00:00Z"));
        start("seq-killed", "u-seq-killed");
        clock.set(clock.instant().plus(Duration.ofDays(1).plusMinutes(1)));
        // Another instance claimed the due step and died before deciding it.
        assertEquals(
                1,
                entries.claimDue(clock.instant(), 200, Duration.ofMinutes(5)).stream()
                        .filter(entry -> entry.userId().equals("u-seq-killed"))
                        .count());
        sweeps.runDueTimers();
        assertEquals("follow-up", sequenceOf("seq-killed", "u-seq-killed").get("nextStep"), "still claimed: not taken");

        clock.set(clock.instant().plus(Duration.ofMinutes(6)));
        sweeps.runDueTimers();
        sweeps.runDueTimers();
        assertEquals("last-word", sequenceOf("seq-killed", "u-seq-killed").get("nextStep"));
        assertEquals(
                1,
                asAdmin()
                        .queryParam("userId", "u-seq-killed")
                        .queryParam("rule", "edited-sequence")
                        .queryParam("channel", "email")
                        .get("/api/messages")
                        .then()
                        .extract()
                        .<List<?>>path("items")
                        .size(),
                "the step was decided once");
    }

    @Test
    void holdoutIsDecidedOnceAtEntryHeldOutAccountsDoNotEnter() {
        // The sample sequence holds out 20% of accounts; one account of each kind, as the hash puts them.
        String rule = "trial-extension-sequence";
        String heldOut = firstAccount(rule, true);
        String treated = firstAccount(rule, false);
        clock.set(Instant.parse("2027-04-05T10:00:00Z"));
        for (String account : List.of(heldOut, treated)) {
            String user = "u-" + account;
            SegmentCalls.Stamped now = SegmentCalls.at(clock.instant());
            now.identify(user, Map.of("email", user + "@seq.example")).statusCode(200);
            now.group(user, account, Map.of("plan", "trial")).statusCode(200);
            track(user, account, "Trial Extended");
        }
        List<String> heldOutStatuses = asAdmin()
                .queryParam("userId", "u-" + heldOut)
                .queryParam("rule", rule)
                .get("/api/messages")
                .then()
                .extract()
                .path("items.status");
        assertEquals(List.of("held_out"), heldOutStatuses, "the first step's message, held out");
        Map<String, Object> heldOutPlace = asAdmin()
                .queryParam("rule", rule)
                .queryParam("userId", "u-" + heldOut)
                .get("/api/accounts/" + heldOut + "/explain")
                .then()
                .statusCode(200)
                .extract()
                .path("users[0]");
        assertTrue(!heldOutPlace.containsKey("sequence"), "a held-out recipient does not enter: " + heldOutPlace);
        assertEquals(
                "tip-for-non-clickers",
                sequenceOf(treated, "u-" + treated, rule).get("nextStep"));
    }

    /** The first account id of the form seq-holdout-N that the rule's holdout does (or does not) hold out. */
    private static String firstAccount(String rule, boolean heldOut) {
        for (int n = 0; ; n++) {
            String account = "seq-holdout-" + n;
            if (HoldoutAssignment.heldOut(rule, account, 20) == heldOut) {
                return account;
            }
        }
    }

    @Test
    void aSequenceFileIsCheckedWithLines() {
        String rule =
                "trigger:\n  event: X\nlimits:\n  once_per: user\nsteps:\n  - name: first\n    wait: 1d\n    actions:\n"
                        + "      - channel: inapp\n        template: create-first-project\n  - name: first\n    actions:\n"
                        + "      - channel: inapp\n        template: create-first-project\n";
        List<Map<String, Object>> problems = asAdmin()
                .contentType("text/plain")
                .queryParam("file", "s.yaml")
                .body(rule)
                .post("/api/rules/validate")
                .then()
                .statusCode(200)
                .extract()
                .path("problems");
        List<String> messages = problems.stream()
                .map(problem -> problem.get("line") + ": " + problem.get("message"))
                .toList();
        assertEquals(
                List.of(
                        "7: steps[0] goes out when the recipient enters and has no wait (to start later, use an after trigger)",
                        "11: steps[1].name 'first' is the name of an earlier step: each step's name is its place, kept when the file is edited",
                        "11: steps[1].wait is required: how long after the step before (e.g. 2d)"),
                messages);
    }

    private void start(String account, String user) {
        Scenario.trialUser(user, account)
                .withTraits(Map.of("email", user + "@seq.example", "firstName", "Seq"))
                .at(clock)
                .identifies()
                .joinsTheAccount()
                .tracks(
                        account.startsWith("seq-edit") || account.equals("seq-killed")
                                ? "Edited Started"
                                : "Trial Started");
    }

    private void track(String user, String account, String event) {
        SegmentCalls.at(clock.instant()).track(user, event, account).statusCode(200);
    }

    /** The user's messages of the onboarding sequence as step:status, queued and sent both "going", in the order decided. */
    private static List<String> stepsOf(String user) {
        List<Map<String, Object>> items = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", "trial-sequence")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        return items.stream()
                .sorted((a, b) -> Long.compare(((Number) a.get("id")).longValue(), ((Number) b.get("id")).longValue()))
                .map(item -> {
                    String ref = String.valueOf(((Map<?, ?>) item.get("cause")).get("ref"));
                    String step = ((Map<?, ?>) item.get("cause")).get("type").equals("sequence")
                            ? ref.substring(ref.indexOf('/') + 1)
                            : "welcome";
                    String status = String.valueOf(item.get("status"));
                    return step + ":"
                            + (status.equals("queued")
                                            || status.equals("sent")
                                                    && item.get("channel").equals("email")
                                    ? "going"
                                    : status);
                })
                .toList();
    }

    private static Map<String, Object> sequenceOf(String account, String user) {
        return sequenceOf(
                account,
                user,
                account.startsWith("seq-edit") || account.equals("seq-killed") ? "edited-sequence" : "trial-sequence");
    }

    private static Map<String, Object> sequenceOf(String account, String user, String rule) {
        return asAdmin()
                .queryParam("rule", rule)
                .queryParam("userId", user)
                .get("/api/accounts/" + account + "/explain")
                .then()
                .statusCode(200)
                .extract()
                .path("users[0].sequence");
    }

    private static String stepOutcome(String user, String step) {
        List<Map<String, Object>> steps = asAdmin()
                .queryParam("rule", "trial-sequence")
                .queryParam("userId", user)
                .get("/api/accounts/" + user.substring(2) + "/explain")
                .then()
                .extract()
                .path("users[0].sequence.steps");
        return steps.stream()
                .filter(reached -> step.equals(reached.get("step")))
                .map(reached -> String.valueOf(reached.get("outcome")))
                .findFirst()
                .orElse(null);
    }

    private static List<String> eventNames(String account) {
        return asAdmin()
                .get("/api/accounts/" + account + "/events")
                .then()
                .statusCode(200)
                .extract()
                .path("items.name");
    }

    private static MimeMessage emailTo(String address) {
        return TestSmtp.receivedBy(SMTP.getReceivedMessages(), address);
    }

    private static void click(MimeMessage email) throws Exception {
        String html = TestSmtp.htmlOf(email);
        Matcher link = TRACKED_LINK.matcher(html);
        assertTrue(link.find(), html);
        given().redirects()
                .follow(false)
                .get(link.group(1).replace("&amp;", "&"))
                .then()
                .statusCode(302);
    }
}
