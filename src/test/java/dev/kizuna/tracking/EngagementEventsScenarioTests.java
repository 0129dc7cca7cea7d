package dev.kizuna.tracking;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.Scenario;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestClock;
import dev.kizuna.TestSmtp;
import dev.kizuna.decisions.Sweeps;
import dev.kizuna.delivery.EmailSender;
import dev.kizuna.reports.Attribution;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kizuna's own outcomes are events of the recipient: an email delivered, opened and clicked, a
 * nudge seen, clicked or dismissed, a message converted. They carry the message, rule and
 * template, and rules use them like the product's events: as triggers, in conditions
 * ({@code clicked('rule')}) and as goals. Over a copy of the samples with three test rules
 * ({@link EngagementAndConsentProfile}).
 */
@QuarkusTest
@TestProfile(EngagementAndConsentProfile.class)
class EngagementEventsScenarioTests {

    private static final String LINKS = "http://localhost:8081";
    private static final Pattern TRACKED_LINK = Pattern.compile("href=\"(" + Pattern.quote(LINKS) + "/t/c/[^\"]+)\"");
    private static final Pattern OPEN_PIXEL = Pattern.compile("<img src=\"(" + Pattern.quote(LINKS) + "/t/o/[^\"]+)\"");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Inject
    TestClock clock;

    @Inject
    EmailSender emails;

    @Inject
    Sweeps sweeps;

    @Inject
    Attribution attribution;

    @Test
    void aClickOnAnEmailIsAnEventThatTriggersRulesAndTakesTheOtherBranch() throws Exception {
        clock.set(Instant.parse("2026-12-07T10:00:00Z"));
        signUp("eng-clicks", "u-eng-clicker");
        signUp("eng-quiet", "u-eng-quiet");
        emails.drain();

        String html = TestSmtp.htmlOf(emailTo("u-eng-clicker@engagement.example"));
        Map<String, Object> delivered = awaitEvent("eng-clicks", "kizuna.email.delivered");
        Map<String, Object> properties = properties(delivered);
        assertEquals("u-eng-clicker", delivered.get("userId"));
        assertEquals("welcome-new-workspace", properties.get("rule"));
        assertEquals("welcome", properties.get("template"));
        assertEquals("email", properties.get("channel"));
        assertEquals(
                messageOf("u-eng-clicker", "welcome-new-workspace", "email").get("id"), properties.get("message_id"));

        given().redirects().follow(false).get(first(OPEN_PIXEL, html)).then().statusCode(200);
        String link = first(TRACKED_LINK, html);
        given().redirects().follow(false).get(link).then().statusCode(302);
        awaitEvent("eng-clicks", "kizuna.email.opened");
        Map<String, Object> clicked = awaitEvent("eng-clicks", "kizuna.email.clicked");
        assertTrue(String.valueOf(properties(clicked).get("url")).startsWith("http"), String.valueOf(clicked));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertEquals(List.of("sent"), statusesOf("u-eng-clicker", "thank-clickers")));
        assertEquals(List.of(), statusesOf("u-eng-quiet", "thank-clickers"), "the other user clicked nothing");

        // Two days on, the branch on the click: only the user who did not click gets the tip.
        clock.set(clock.instant().plus(Duration.ofDays(2)).plus(Duration.ofMinutes(1)));
        sweeps.runDueTimers();
        assertEquals(List.of("sent"), statusesOf("u-eng-quiet", "nudge-non-clickers"));
        List<Map<String, Object>> checks = explain("eng-clicks", "u-eng-clicker", "nudge-non-clickers");
        assertTrue(
                checks.stream()
                        .anyMatch(check ->
                                "condition".equals(check.get("name")) && Boolean.FALSE.equals(check.get("passed"))),
                "clicked('welcome-new-workspace') holds for the clicker: " + checks);
        assertEquals(List.of(), statusesOf("u-eng-clicker", "nudge-non-clickers"));
    }

    @Test
    void whatUsersDoWithANudgeAndAConversionAreEventsToo() {
        clock.set(Instant.parse("2026-12-14T10:00:00Z"));
        signUp("eng-nudges", "u-eng-nudged");
        track("u-eng-nudged", "eng-nudges", "Report Viewed");
        Map<String, Object> tip = messageOf("u-eng-nudged", "report-tip", "inapp");
        List<Map<String, Object>> nudges = asProduct()
                .queryParam("userId", "u-eng-nudged")
                .get("/v1/nudges")
                .then()
                .statusCode(200)
                .extract()
                .path("nudges");
        Object nudgeId = nudges.stream()
                .filter(nudge -> tip.get("id").equals(nudge.get("messageId")))
                .findFirst()
                .map(nudge -> nudge.get("id"))
                .orElseThrow(() -> new AssertionError("the tip is pending: " + nudges));
        asProduct().post("/v1/nudges/" + nudgeId + "/seen").then().statusCode(200);
        asProduct().post("/v1/nudges/" + nudgeId + "/dismissed").then().statusCode(200);
        assertEquals(
                "report-tip",
                properties(awaitEvent("eng-nudges", "kizuna.nudge.seen")).get("rule"));
        assertEquals(
                "inapp",
                properties(awaitEvent("eng-nudges", "kizuna.nudge.dismissed")).get("channel"));

        clock.set(clock.instant().plus(Duration.ofHours(5)));
        track("u-eng-nudged", "eng-nudges", "Project Created");
        attribution.run();
        Map<String, Object> converted = awaitEvent("eng-nudges", "kizuna.message.converted");
        assertEquals(tip.get("id"), properties(converted).get("message_id"));
        assertEquals(
                clock.instant(),
                Instant.parse(String.valueOf(converted.get("occurredAt"))),
                "when the goal was reached");
    }

    @Test
    void theEngagementOfAnErasedRecipientMakesNoEventAndDoesNotBringThemBack() {
        clock.set(Instant.parse("2026-12-21T10:00:00Z"));
        signUp("eng-erased", "u-eng-erased");
        track("u-eng-erased", "eng-erased", "Report Viewed");
        Object tip = messageOf("u-eng-erased", "report-tip", "inapp").get("id");
        asAdmin().delete("/api/users/u-eng-erased").then().statusCode(200);

        // A teammate reaches the goal: the erased user's message, kept for the statistics, converts.
        signUp("eng-erased", "u-eng-teammate");
        track("u-eng-teammate", "eng-erased", "Project Created");
        attribution.run();
        Map<String, Object> message = asAdmin()
                .get("/api/messages/" + tip)
                .then()
                .statusCode(200)
                .extract()
                .path("");
        assertTrue(String.valueOf(message.get("timeline")).contains("converted"), String.valueOf(message));
        track("u-eng-teammate", "eng-erased", "Report Viewed");
        awaitEvent("eng-erased", "Report Viewed");

        // Calls are processed in order per account: the conversion's call came before the teammate's last one.
        asAdmin().get("/api/users/u-eng-erased").then().statusCode(404);
        List<String> names = asAdmin()
                .get("/api/accounts/eng-erased/events")
                .then()
                .statusCode(200)
                .extract()
                .path("items.name");
        assertTrue(!names.contains("kizuna.message.converted"), String.valueOf(names));
    }

    @Test
    void aRuleNamingAnEventKizunaDoesNotRecordIsRefusedWithItsLine() {
        String rule =
                "name: A typo\ntrigger:\n  after:\n    event: Signed Up\n    delay: 1d\n    unless: kizuna.email.click\n"
                        + "actions:\n  - channel: inapp\n    template: create-first-project\n";
        List<Map<String, Object>> problems = asAdmin()
                .contentType("text/plain")
                .queryParam("file", "typo.yaml")
                .body(rule)
                .post("/api/rules/validate")
                .then()
                .statusCode(200)
                .extract()
                .path("problems");
        assertEquals(1, problems.size(), String.valueOf(problems));
        assertEquals("typo.yaml", problems.get(0).get("file"));
        assertEquals(6, problems.get(0).get("line"));
        assertTrue(
                String.valueOf(problems.get(0).get("message"))
                        .startsWith(
                                "trigger.after.unless 'kizuna.email.click' is not an event"
                                        + " Kizuna records (names starting with kizuna. are kept for these: kizuna.email.delivered, "),
                String.valueOf(problems));
    }

    private void signUp(String account, String user) {
        Scenario.trialUser(user, account)
                .withTraits(Map.of("email", user + "@engagement.example", "firstName", "Eng"))
                .at(clock)
                .identifies()
                .joinsTheAccount()
                .tracks(Scenario.SIGNED_UP);
    }

    private void track(String user, String account, String event) {
        SegmentCalls.at(clock.instant()).track(user, event, account).statusCode(200);
    }

    /** The account's newest event of that name, once processing has recorded it. */
    private static Map<String, Object> awaitEvent(String account, String name) {
        return await().atMost(PATIENCE)
                .until(
                        () -> {
                            List<Map<String, Object>> events = asAdmin()
                                    .get("/api/accounts/" + account + "/events")
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .path("items");
                            return events.stream()
                                    .filter(event -> name.equals(event.get("name")))
                                    .findFirst()
                                    .orElse(null);
                        },
                        event -> event != null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> event) {
        return (Map<String, Object>) ((Map<String, Object>) event.get("payload")).get("properties");
    }

    private static MimeMessage emailTo(String address) {
        return TestSmtp.receivedBy(SMTP.getReceivedMessages(), address);
    }

    private static String first(Pattern pattern, String html) {
        Matcher matcher = pattern.matcher(html);
        assertTrue(matcher.find(), pattern + " in " + html);
        return matcher.group(1).replace("&amp;", "&");
    }

    private static List<Map<String, Object>> explain(String account, String user, String rule) {
        return asAdmin()
                .queryParam("rule", rule)
                .queryParam("userId", user)
                .get("/api/accounts/" + account + "/explain")
                .then()
                .statusCode(200)
                .extract()
                .path("users[0].checks");
    }

    private static List<String> statusesOf(String user, String rule) {
        return asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items.status");
    }

    private static Map<String, Object> messageOf(String user, String rule, String channel) {
        List<Map<String, Object>> items = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .queryParam("channel", channel)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        assertEquals(1, items.size(), "one message of " + rule + " to " + user + ": " + items);
        return items.get(0);
    }
}
