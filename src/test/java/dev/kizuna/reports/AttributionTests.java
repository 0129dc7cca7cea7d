package dev.kizuna.reports;

import static dev.kizuna.TestKeys.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.ScenarioProfile;
import dev.kizuna.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attribution through the real flow: a trial creates its first project, invite-teammates
 * (goal: milestone invited_teammate within 14 days) shows its nudge, and whether the account
 * invites a teammate inside the window decides whether the nudge converted.
 */
@QuarkusTest
@TestProfile(ScenarioProfile.class)
class AttributionTests {

    private static final String RULE = "invite-teammates";

    @Inject
    TestClock clock;

    @Inject
    Attribution attribution;

    @Test
    void goalReachedInsideTheWindowMarksTheMessageConvertedWithTheTimeTaken() {
        clock.set(Instant.parse("2028-05-01T10:00:00Z"));
        signUp("attr-inside");
        track("attr-inside", "Project Created");
        long nudge = nudgeOf("attr-inside");

        Instant decided = clock.instant();
        Instant invited = clock.advance(Duration.ofDays(2).plusHours(3));
        track("attr-inside", "Teammate Invited");
        attribution.run();

        JsonPath message = message(nudge);
        assertEquals(invited.toString(), message.getString("convertedAt"));
        List<Map<String, String>> converted = conversions(message);
        assertEquals(1, converted.size());
        assertEquals(invited, Instant.parse(converted.get(0).get("at")));
        assertEquals(
                "milestone 'invited_teammate' reached 2d 3h after the message (PT51H)",
                converted.get(0).get("detail"));
        assertEquals(Duration.ofHours(51), Duration.between(decided, invited));

        attribution.run();
        assertEquals(1, conversions(message(nudge)).size(), "a second pass changes nothing");
    }

    @Test
    void goalReachedAfterTheWindowIsNoConversion() {
        clock.set(Instant.parse("2028-06-01T10:00:00Z"));
        signUp("attr-late");
        track("attr-late", "Project Created");
        long nudge = nudgeOf("attr-late");

        clock.advance(Duration.ofDays(15));
        track("attr-late", "Teammate Invited");
        attribution.run();

        JsonPath message = message(nudge);
        assertNull(message.get("convertedAt"));
        assertTrue(conversions(message).isEmpty());
    }

    @Test
    void whileTheWindowIsOpenTheMessageIsStillFollowed() {
        clock.set(Instant.parse("2028-07-01T10:00:00Z"));
        signUp("attr-open");
        track("attr-open", "Project Created");
        long nudge = nudgeOf("attr-open");

        clock.advance(Duration.ofDays(3));
        attribution.run();
        assertNull(message(nudge).get("convertedAt"));

        // Day 13: still inside the 14 days, so the message converts now.
        clock.advance(Duration.ofDays(10));
        track("attr-open", "Teammate Invited");
        attribution.run();
        assertEquals(clock.instant().toString(), message(nudge).getString("convertedAt"));
    }

    @Test
    void anAdminRunsAPassNowAndSeesWhatItDid() {
        clock.set(Instant.parse("2028-08-01T10:00:00Z"));
        signUp("attr-now");
        track("attr-now", "Project Created");
        long nudge = nudgeOf("attr-now");
        clock.advance(Duration.ofHours(5));
        track("attr-now", "Teammate Invited");

        JsonPath pass = asAdmin()
                .post("/api/reports/attribution/run")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(
                pass.getLong("examined") >= 1 && pass.getLong("converted") >= 1,
                "the invitation converted the nudge: " + pass.prettify());
        assertTrue(pass.getDouble("seconds") >= 0);
        assertEquals(clock.instant().toString(), message(nudge).getString("convertedAt"));
        asAdmin()
                .get("/api/audit")
                .then()
                .statusCode(200)
                .body("items.action", org.hamcrest.Matchers.hasItem("reports.attribution"));
        io.restassured.RestAssured.given()
                .post("/api/reports/attribution/run")
                .then()
                .statusCode(401);
    }

    private long nudgeOf(String account) {
        JsonPath page = asAdmin()
                .queryParam("accountId", account)
                .queryParam("rule", RULE)
                .queryParam("channel", "inapp")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(1, page.getList("items").size(), "invite-teammates showed its nudge to " + account);
        assertEquals("sent", page.getString("items[0].status"));
        return page.getLong("items[0].id");
    }

    private static JsonPath message(long id) {
        return asAdmin()
                .get("/api/messages/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<Map<String, String>> conversions(JsonPath message) {
        List<Map<String, String>> timeline = message.getList("timeline");
        return timeline.stream()
                .filter(entry -> "converted".equals(entry.get("type")))
                .toList();
    }

    private void signUp(String account) {
        TrialAccounts.signUp(account, clock.instant());
    }

    private void track(String account, String event) {
        TrialAccounts.track(account, event, clock.instant());
    }
}
