package dev.kizuna.decisions;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.ScenarioProfile;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestClock;
import dev.kizuna.TestSmtp;
import dev.kizuna.delivery.EmailSender;
import dev.kizuna.rules.HoldoutAssignment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Timed, scheduled and segment triggers, holdouts, caps and quiet hours, over simulated days. */
@QuarkusTest
@TestProfile(ScenarioProfile.class)
class RuleTriggersScenarioTests {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Inject
    TestClock clock;

    @Inject
    Sweeps sweeps;

    @Inject
    SweepWorkers sweepWorkers;

    @Inject
    ScheduleRuns scheduleRuns;

    @Inject
    EmailSender sender;

    @Test
    void threeDaysAfterSignupUnlessAProjectWasCreatedWithAHoldoutGroup() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String heldOut = firstAccount("sc-after-", true, "first-project-reminder", 20);
        String treated = firstAccount("sc-after-", false, "first-project-reminder", 20);
        String builder = "sc-after-builder";
        for (String account : List.of(heldOut, treated, builder)) {
            signUp(account, "u-" + account, Map.of("plan", "trial"), null);
        }
        clock.advance(Duration.ofDays(1));
        track("u-" + builder, builder, "Project Created");

        clock.advance(Duration.ofDays(2).minusMinutes(1));
        sweeps.runDueTimers();
        assertEquals(List.of(), rulesOf("u-" + treated, "first-project-reminder"), "not due before three days");

        clock.advance(Duration.ofMinutes(2));
        sweeps.runDueTimers();
        assertEquals(List.of("going"), statusesOf("u-" + treated, "first-project-reminder"));
        assertEquals(List.of("held_out"), statusesOf("u-" + heldOut, "first-project-reminder"));
        assertEquals(
                List.of(),
                statusesOf("u-" + builder, "first-project-reminder"),
                "a project was created: the unless held");
    }

    @Test
    void clocksThatComeDueTogetherAreDecidedAsOneSetInTheOrderTheyCameDue() {
        clock.set(Instant.parse("2026-12-07T10:00:00Z"));
        List<String> accounts =
                IntStream.range(0, 30).mapToObj(i -> "sc-set-" + i).toList();
        for (String account : accounts) {
            signUp(account, "u-" + account, Map.of("plan", "trial"), null);
        }
        // A teammate signs up in the first account a minute later: their clock comes due just after
        // the first user's, in the same set, and the rule is once per account.
        clock.advance(Duration.ofMinutes(1));
        signUp("sc-set-0", "u2-sc-set-0", Map.of("plan", "trial"), null);

        clock.advance(Duration.ofDays(3).plusMinutes(2));
        double before = statements();
        int handled = sweeps.runDueTimers();
        double used = statements() - before;

        assertTrue(handled >= accounts.size() + 1, "clocks handled: " + handled);
        for (String account : accounts) {
            assertEquals(
                    1,
                    statusesOf("u-" + account, "first-project-reminder").size(),
                    "one reminder (or holdout) for " + account);
        }
        assertEquals(
                List.of(),
                statusesOf("u2-sc-set-0", "first-project-reminder"),
                "the teammate's clock saw the decision made just before it in the same set: once per account");
        // One clock at a time cost some fifteen statements (claim, delete, user, account, profile,
        // history, caps, message, outbox); a set shares them. The counter also counts what runs meanwhile.
        assertTrue(used <= 3 * handled, "statements for " + handled + " clocks: " + used);
    }

    private static double statements() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher counter = Pattern.compile("(?m)^kizuna_database_statements_total(?:\\{[^}]*\\})? (\\S+)$")
                .matcher(metrics);
        assertTrue(counter.find(), "kizuna_database_statements_total in /q/metrics");
        return Double.parseDouble(counter.group(1));
    }

    @Test
    void inactivityFiresOnlyAfterFourteenDaysWithoutALogin() {
        clock.set(Instant.parse("2026-07-01T10:00:00Z"));
        String account = firstAccount("sc-idle-", false, "win-back-inactive", 10);
        String user = "u-" + account;
        signUp(account, user, Map.of("plan", "team"), null);
        activate(user, account);
        track(user, account, "Logged In");
        clock.advance(Duration.ofDays(10));
        track(user, account, "Logged In");

        clock.advance(Duration.ofDays(5));
        sweeps.runDueTimers();
        assertEquals(List.of(), statusesOf(user, "win-back-inactive"), "only 5 days since the last login");

        clock.advance(Duration.ofDays(9).plusMinutes(1));
        sweeps.runDueTimers();
        assertEquals(List.of("going"), statusesOf(user, "win-back-inactive"));
    }

    @Test
    void aScheduledRuleSweepsItsAudienceOncePerPeriodUntilTheGoal() {
        clock.set(Instant.parse("2026-08-03T01:00:00Z"));
        signUp("sc-weekly-mid", "u-sc-weekly-mid", Map.of("plan", "team", "mrr", 1000), "Asia/Tokyo");
        signUp("sc-weekly-small", "u-sc-weekly-small", Map.of("plan", "team", "mrr", 100), "Asia/Tokyo");

        Firings.runToEnd(sweepWorkers, sweeps, scheduleRuns, "test-week-1", "weekly-onboarding-checkin");
        Firings.runToEnd(sweepWorkers, sweeps, scheduleRuns, "test-week-1-again", "weekly-onboarding-checkin");
        assertEquals(
                List.of("going"),
                statusesOf("u-sc-weekly-mid", "weekly-onboarding-checkin"),
                "once per account a week");
        assertEquals(
                List.of(),
                statusesOf("u-sc-weekly-small", "weekly-onboarding-checkin"),
                "tech-touch is not the audience");

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        Firings.runToEnd(sweepWorkers, sweeps, scheduleRuns, "test-week-2", "weekly-onboarding-checkin");
        assertEquals(
                2, statusesOf("u-sc-weekly-mid", "weekly-onboarding-checkin").size(), "a week later, again");

        track("u-sc-weekly-mid", "sc-weekly-mid", "Teammate Invited");
        clock.advance(Duration.ofDays(7).plusMinutes(1));
        Firings.runToEnd(sweepWorkers, sweeps, scheduleRuns, "test-week-3", "weekly-onboarding-checkin");
        assertEquals(
                2,
                statusesOf("u-sc-weekly-mid", "weekly-onboarding-checkin").size(),
                "the goal was reached: the account left the rule");
    }

    @Test
    void quietHoursDeferEmailUntilMorningInTheRecipientsTimezone() {
        // 22:30 in Tokyo.
        clock.set(Instant.parse("2026-09-07T13:30:00Z"));
        signUp("sc-quiet", "u-sc-quiet", Map.of("plan", "team", "mrr", 2000), "Asia/Tokyo");
        Firings.runToEnd(sweepWorkers, sweeps, scheduleRuns, "test-quiet", "weekly-onboarding-checkin");
        JsonPath message = messageOf("u-sc-quiet", "weekly-onboarding-checkin");
        assertEquals("queued", message.getString("status"));
        assertTrue(
                message.getString("cause.explanation").contains("deferred to 2026-09-07T23:00:00Z"),
                message.getString("cause.explanation"));

        sender.drain();
        assertEquals(
                "queued",
                messageOf("u-sc-quiet", "weekly-onboarding-checkin").getString("status"),
                "not sent during the night");

        clock.set(Instant.parse("2026-09-07T23:00:01Z"));
        sender.drain();
        assertEquals(
                "sent",
                messageOf("u-sc-quiet", "weekly-onboarding-checkin").getString("status"),
                "sent at 8:00 in Tokyo");
    }

    @Test
    void enteringTheAtRiskSegmentShowsTheHelpOffer() {
        clock.set(Instant.parse("2026-10-01T10:00:00Z"));
        SegmentCalls.identify("u-sc-risk", Map.of("email", "risk@scenario.example"))
                .statusCode(200);
        SegmentCalls.at(clock.instant())
                .group("u-sc-risk", "sc-risk", Map.of("plan", "team", "createdAt", "2026-09-01T00:00:00Z"))
                .statusCode(200);

        asAdmin()
                .get("/api/accounts/sc-risk")
                .then()
                .statusCode(200)
                .body("profile.healthBand", org.hamcrest.Matchers.equalTo("churn_imminent"))
                .body("profile.segments", org.hamcrest.Matchers.hasItem("at-risk"));
        assertEquals(List.of("going"), statusesOf("u-sc-risk", "offer-help-at-risk"));
        asProduct()
                .queryParam("userId", "u-sc-risk")
                .get("/v1/nudges")
                .then()
                .body("nudges.size()", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void anAtRiskLowTouchAccountAlertsItsOwnerCsmAndOffersHelpInApp() {
        clock.set(Instant.parse("2026-10-05T10:00:00Z"));
        SegmentCalls.identify("u-sc-csm", Map.of("email", "csm-case@scenario.example"))
                .statusCode(200);
        SegmentCalls.at(clock.instant())
                .group(
                        "u-sc-csm",
                        "sc-kumo",
                        Map.of(
                                "name",
                                "Kumo Corp",
                                "plan",
                                "business",
                                "mrr",
                                900,
                                "csm",
                                "yui@tasklane.example",
                                "createdAt",
                                "2026-09-01T00:00:00Z"))
                .statusCode(200);

        JsonPath alert = messageOf("u-sc-csm", "alert-csm-at-risk");
        assertEquals("csm", alert.getString("channel"));
        assertEquals("yui@tasklane.example", alert.getString("recipient"));
        assertTrue(
                alert.getString("subject").startsWith("[Kizuna] Kumo Corp is at risk: health 0 (churn_imminent)"),
                alert.getString("subject"));
        assertEquals(List.of("going"), statusesOf("u-sc-csm", "offer-help-at-risk"));
    }

    @Test
    void leavingTheTrialForAPaidPlanThanksTheWorkspace() {
        clock.set(Instant.parse("2026-10-12T10:00:00Z"));
        signUp("sc-upgrade", "u-sc-upgrade", Map.of("plan", "trial"), null);
        assertEquals(List.of(), statusesOf("u-sc-upgrade", "thank-you-for-upgrading"));
        SegmentCalls.at(clock.instant())
                .group("u-sc-upgrade", "sc-upgrade", Map.of("plan", "team"))
                .statusCode(200);
        assertEquals(List.of("going"), statusesOf("u-sc-upgrade", "thank-you-for-upgrading"));
    }

    @Test
    void aLowTouchAccountGetsTheLowTouchVariantOfATemplate() {
        clock.set(Instant.parse("2026-10-19T10:00:00Z"));
        signUp("sc-variant-mid", "u-sc-variant-mid", Map.of("plan", "team", "mrr", 1000), null);
        signUp("sc-variant-small", "u-sc-variant-small", Map.of("plan", "team"), null);
        track("u-sc-variant-mid", "sc-variant-mid", "Project Created");
        track("u-sc-variant-small", "sc-variant-small", "Project Created");
        assertTrue(
                emailOf("u-sc-variant-mid", "invite-teammates")
                        .getString("bodyText")
                        .contains("customer success team can help"),
                "low-touch: the variant in invite-teammates/low-touch/");
        assertTrue(
                !emailOf("u-sc-variant-small", "invite-teammates")
                        .getString("bodyText")
                        .contains("customer success team"),
                "tech-touch: the template's own text");
    }

    @Test
    void theFrequencyCapHoldsAcrossRules() {
        clock.set(Instant.parse("2026-11-02T10:00:00Z"));
        signUp("sc-cap", "u-sc-cap", Map.of("plan", "trial"), null);
        track("u-sc-cap", "sc-cap", "Signed Up");
        track("u-sc-cap", "sc-cap", "Project Created");
        track("u-sc-cap", "sc-cap", "Teammate Invited");
        track("u-sc-cap", "sc-cap", "Teammate Invited");

        assertEquals(List.of("going"), statusesOf("u-sc-cap", "welcome-new-workspace", "email"));
        assertEquals(List.of("going"), statusesOf("u-sc-cap", "invite-teammates", "email"));
        JsonPath capped = messageOf("u-sc-cap", "connect-integration");
        assertEquals("capped", capped.getString("status"));
        assertTrue(
                capped.getString("error").startsWith("frequency cap: 2 email messages in the last 24 hours"),
                capped.getString("error"));
    }

    // --- helpers ---------------------------------------------------------------------------

    /** The first account id with this prefix that is (or is not) in the rule's holdout group. */
    private static String firstAccount(String prefix, boolean heldOut, String ruleId, int percent) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> prefix + i)
                .filter(id -> HoldoutAssignment.heldOut(ruleId, id, percent) == heldOut)
                .findFirst()
                .orElseThrow();
    }

    private void signUp(String account, String user, Map<String, Object> traits, String timezone) {
        Map<String, Object> userTraits = timezone == null
                ? Map.of("email", user + "@scenario.example")
                : Map.of("email", user + "@scenario.example", "timezone", timezone);
        SegmentCalls.Stamped now = SegmentCalls.at(clock.instant());
        now.identify(user, userTraits).statusCode(200);
        now.group(user, account, traits).statusCode(200);
        track(user, account, "Signed Up");
    }

    private void activate(String user, String account) {
        track(user, account, "Project Created");
        track(user, account, "Teammate Invited");
        for (int i = 0; i < 10; i++) {
            track(user, account, "Task Completed");
        }
        asAdmin()
                .get("/api/accounts/" + account)
                .then()
                .body("profile.lifecycleStage", org.hamcrest.Matchers.equalTo("activated"));
    }

    private void track(String user, String account, String event) {
        SegmentCalls.at(clock.instant()).track(user, event, account).statusCode(200);
    }

    /** The statuses of the user's messages of a rule; queued and sent both read "going", as sending races the test. */
    private static List<String> statusesOf(String user, String rule) {
        List<String> statuses = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items.status");
        return statuses.stream().map(RuleTriggersScenarioTests::going).toList();
    }

    private static List<String> statusesOf(String user, String rule, String channel) {
        List<String> statuses = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .queryParam("channel", channel)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items.status");
        return statuses.stream().map(RuleTriggersScenarioTests::going).toList();
    }

    private static String going(String status) {
        return status.equals("queued") || status.equals("sent") ? "going" : status;
    }

    private static List<String> rulesOf(String user, String rule) {
        return statusesOf(user, rule);
    }

    private static JsonPath emailOf(String user, String rule) {
        List<Integer> ids = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .queryParam("channel", "email")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
        assertEquals(1, ids.size(), "one email of " + rule + " to " + user);
        return new JsonPath(asAdmin().get("/api/messages/" + ids.get(0)).asString());
    }

    private static JsonPath messageOf(String user, String rule) {
        List<Map<String, Object>> items = asAdmin()
                .queryParam("userId", user)
                .queryParam("rule", rule)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        assertEquals(1, items.size(), "one message of " + rule + " to " + user + ": " + items);
        return new JsonPath(io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + dev.kizuna.TestKeys.ADMIN_KEY)
                .get("/api/messages/" + items.get(0).get("id"))
                .asString());
    }
}
