package dev.kizuna.reports;

import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The activation and engagement reports on small datasets whose every number is known. */
@QuarkusTest
class ActivationAndEngagementReportTests {

    @Inject
    AgroalDataSource dataSource;

    /**
     * Six accounts signing up in March 2014: four in ISO week 10, two in week 11.
     *
     * <pre>
     * account  signup       time-to-value  segment     milestones
     * act-1    Mon 3 Mar    24h            tech-touch  project, teammate, integration, tasks
     * act-2    Tue 4 Mar    48h            tech-touch  project, teammate, tasks
     * act-3    Wed 5 Mar    96h            low-touch   project, teammate, integration, tasks
     * act-4    Thu 6 Mar    not activated  -           project
     * act-5    Mon 10 Mar   480h (20 days) low-touch   project, teammate, tasks
     * act-6    Tue 11 Mar   12h            low-touch   project, teammate, tasks
     * </pre>
     */
    @Test
    void activationFunnelTimeToValueAndWindowShare() throws SQLException {
        Population population = new Population(dataSource);
        account(
                population,
                "act-1",
                "2014-03-03T00:00:00Z",
                24,
                "tech-touch",
                "created_project",
                "invited_teammate",
                "connected_integration",
                "completed_tasks");
        account(
                population,
                "act-2",
                "2014-03-04T00:00:00Z",
                48,
                "tech-touch",
                "created_project",
                "invited_teammate",
                "completed_tasks");
        account(
                population,
                "act-3",
                "2014-03-05T00:00:00Z",
                96,
                "low-touch",
                "created_project",
                "invited_teammate",
                "connected_integration",
                "completed_tasks");
        account(population, "act-4", "2014-03-06T00:00:00Z", null, null, "created_project");
        account(
                population,
                "act-5",
                "2014-03-10T00:00:00Z",
                480,
                "low-touch",
                "created_project",
                "invited_teammate",
                "completed_tasks");
        account(
                population,
                "act-6",
                "2014-03-11T00:00:00Z",
                12,
                "low-touch",
                "created_project",
                "invited_teammate",
                "completed_tasks");
        population.insert();

        JsonPath report = asAdmin()
                .queryParam("from", "2014-03-01")
                .queryParam("to", "2014-04-01")
                .get("/api/reports/activation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertEquals(6, report.getInt("accounts"));
        assertEquals(5, report.getInt("activated"));
        assertEquals("14d", report.getString("window"));
        assertEquals(4, report.getInt("activatedWithinWindow"), "act-5 took 20 days");
        assertEquals(4.0 / 6, report.getDouble("activatedWithinWindowShare"), 1e-6);
        assertEquals(0, report.getInt("stillInWindow"));

        // The funnel in the order of activation.yaml, then "activated".
        assertEquals(
                java.util.List.of(
                        "created_project", "invited_teammate", "connected_integration", "completed_tasks", "activated"),
                report.getList("funnel.milestone"));
        assertEquals(java.util.List.of(6, 5, 2, 5, 5), report.getList("funnel.accounts"));
        assertEquals(2.0 / 6, report.getDouble("funnel[2].share"), 1e-6);

        // Quartiles interpolate between ranks: of 12, 24, 48, 96, 480 hours.
        assertEquals(5, report.getInt("timeToValue.accounts"));
        assertEquals(24.0, report.getDouble("timeToValue.p25Hours"), 1e-9);
        assertEquals(48.0, report.getDouble("timeToValue.medianHours"), 1e-9);
        assertEquals(96.0, report.getDouble("timeToValue.p75Hours"), 1e-9);

        assertEquals(java.util.List.of("2014-W10", "2014-W11"), report.getList("byCohort.cohort"));
        assertEquals(java.util.List.of(4, 2), report.getList("byCohort.accounts"));
        assertEquals(java.util.List.of(3, 2), report.getList("byCohort.activated"));
        // Week 10: 24, 48, 96 hours. Week 11: 12 and 480 hours.
        assertEquals(36.0, report.getDouble("byCohort[0].timeToValue.p25Hours"), 1e-9);
        assertEquals(48.0, report.getDouble("byCohort[0].timeToValue.medianHours"), 1e-9);
        assertEquals(72.0, report.getDouble("byCohort[0].timeToValue.p75Hours"), 1e-9);
        assertEquals(129.0, report.getDouble("byCohort[1].timeToValue.p25Hours"), 1e-9);
        assertEquals(246.0, report.getDouble("byCohort[1].timeToValue.medianHours"), 1e-9);
        assertEquals(363.0, report.getDouble("byCohort[1].timeToValue.p75Hours"), 1e-9);

        // Segments in the order of segments.yaml: low-touch (12, 96, 480 hours) before tech-touch (24, 48).
        assertEquals(java.util.List.of("low-touch", "tech-touch"), report.getList("bySegment.segment"));
        assertEquals(54.0, report.getDouble("bySegment[0].timeToValue.p25Hours"), 1e-9);
        assertEquals(96.0, report.getDouble("bySegment[0].timeToValue.medianHours"), 1e-9);
        assertEquals(288.0, report.getDouble("bySegment[0].timeToValue.p75Hours"), 1e-9);
        assertEquals(36.0, report.getDouble("bySegment[1].timeToValue.medianHours"), 1e-9);
    }

    /**
     * Nine decisions of one rule in 2015, with their timelines:
     *
     * <pre>
     * welcome email, en:  e1 sent, opened twice, clicked twice;  e2 sent, opened;  e3 sent;
     *                     e4 failed with a bounce;  e5 held out
     * welcome email, ja:  j1 sent, opened, unsubscribed
     * tip nudge, en:      n1 sent, seen, clicked;  n2 sent, seen, dismissed;  n3 capped
     * </pre>
     */
    @Test
    void engagementCountsEachKindOnceAMessage() throws SQLException {
        String rule = "engagement-example";
        Instant at = Instant.parse("2015-05-04T09:00:00Z");
        Population population = new Population(dataSource);
        population
                .message(rule, "eng-e1", "SENT", "EMAIL", "welcome", "en", at)
                .timeline(rule, "eng-e1", "SENT", at)
                .timeline(rule, "eng-e1", "OPENED", at)
                .timeline(rule, "eng-e1", "OPENED", at)
                .timeline(rule, "eng-e1", "CLICKED", at)
                .timeline(rule, "eng-e1", "CLICKED", at)
                .message(rule, "eng-e2", "SENT", "EMAIL", "welcome", "en", at)
                .timeline(rule, "eng-e2", "OPENED", at)
                .message(rule, "eng-e3", "SENT", "EMAIL", "welcome", "en", at)
                .message(rule, "eng-e4", "FAILED", "EMAIL", "welcome", "en", at)
                .timeline(rule, "eng-e4", "BOUNCED", at)
                .message(rule, "eng-e5", "HELD_OUT", "EMAIL", "welcome", "en", at)
                .message(rule, "eng-j1", "SENT", "EMAIL", "welcome", "ja", at)
                .timeline(rule, "eng-j1", "OPENED", at)
                .timeline(rule, "eng-j1", "UNSUBSCRIBED", at)
                .message(rule, "eng-n1", "SENT", "INAPP", "tip", "en", at)
                .timeline(rule, "eng-n1", "SEEN", at)
                .timeline(rule, "eng-n1", "CLICKED", at)
                .message(rule, "eng-n2", "SENT", "INAPP", "tip", "en", at)
                .timeline(rule, "eng-n2", "SEEN", at)
                .timeline(rule, "eng-n2", "DISMISSED", at)
                .message(rule, "eng-n3", "CAPPED", "INAPP", "tip", "en", at)
                .insert();

        JsonPath report = asAdmin()
                .queryParam("from", "2015-05-01")
                .queryParam("to", "2015-06-01")
                .queryParam("rule", rule)
                .get("/api/reports/engagement")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertEquals(java.util.List.of("tip", "welcome", "welcome"), report.getList("rows.template"));
        assertEquals(java.util.List.of("inapp", "email", "email"), report.getList("rows.channel"));
        assertEquals(java.util.List.of("en", "en", "ja"), report.getList("rows.locale"));

        // tip nudge
        assertEquals(3, report.getInt("rows[0].messages"));
        assertEquals(2, report.getInt("rows[0].sent"));
        assertEquals(2, report.getInt("rows[0].delivered"));
        assertEquals(1, report.getInt("rows[0].capped"));
        assertEquals(2, report.getInt("rows[0].seen"));
        assertEquals(1, report.getInt("rows[0].clicked"));
        assertEquals(1, report.getInt("rows[0].dismissed"));
        assertEquals(0.5, report.getDouble("rows[0].clickRate"), 1e-6);

        // welcome email in English
        assertEquals(5, report.getInt("rows[1].messages"));
        assertEquals(3, report.getInt("rows[1].sent"));
        assertEquals(3, report.getInt("rows[1].delivered"));
        assertEquals(1, report.getInt("rows[1].failed"));
        assertEquals(1, report.getInt("rows[1].bounced"));
        assertEquals(1, report.getInt("rows[1].heldOut"));
        assertEquals(2, report.getInt("rows[1].opened"), "e1's second open is not counted again");
        assertEquals(1, report.getInt("rows[1].clicked"));
        assertEquals(0, report.getInt("rows[1].unsubscribed"));
        assertEquals(2.0 / 3, report.getDouble("rows[1].openRate"), 1e-6);
        assertEquals(1.0 / 3, report.getDouble("rows[1].clickRate"), 1e-6);

        // welcome email in Japanese
        assertEquals(1, report.getInt("rows[2].sent"));
        assertEquals(1, report.getInt("rows[2].opened"));
        assertEquals(1, report.getInt("rows[2].unsubscribed"));

        JsonPath nudgesOnly = asAdmin()
                .queryParam("from", "2015-05-01")
                .queryParam("to", "2015-06-01")
                .queryParam("rule", rule)
                .queryParam("channel", "inapp")
                .get("/api/reports/engagement")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(java.util.List.of("tip"), nudgesOnly.getList("rows.template"));
        assertNull(nudgesOnly.get("rows[0].openRate"));
    }

    @Test
    void badInputIsAClearClientError() {
        asAdmin()
                .get("/api/reports/rules/no-such-rule")
                .then()
                .statusCode(404)
                .contentType(containsString("problem+json"))
                .body("detail", containsString("no-such-rule"));
        asAdmin()
                .get("/api/reports/rules/welcome-new-workspace")
                .then()
                .statusCode(404)
                .body("detail", containsString("has no goal"));
        asAdmin()
                .queryParam("from", "last tuesday")
                .get("/api/reports/rules")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("from"));
        asAdmin()
                .queryParam("from", "2026-02-01")
                .queryParam("to", "2026-01-01")
                .get("/api/reports/activation")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("to"));
        asAdmin()
                .queryParam("channel", "pigeon")
                .get("/api/reports/engagement")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("channel"));
        given().get("/api/reports/rules").then().statusCode(401);
    }

    @Test
    void everyRuleWithAGoalIsListed() {
        JsonPath report = asAdmin()
                .get("/api/reports/rules")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                java.util.List.of(
                        "connect-integration",
                        "first-project-reminder",
                        "invite-teammates",
                        "offer-help-at-risk",
                        "trial-extension-sequence",
                        "upgrade-at-usage-limit",
                        "weekly-onboarding-checkin",
                        "win-back-inactive"),
                report.getList("rules.rule"));
        assertEquals(20, report.getInt("rules[1].holdoutPercent"));
        assertEquals("created_project", report.getString("rules[1].goal.milestone"));
        assertEquals("90d", report.getString("rules[3].goal.retained"));
        assertEquals("30d", report.getString("rules[5].goal.expanded"));
    }

    private static void account(
            Population population,
            String id,
            String signup,
            Integer hoursToValue,
            String segment,
            String... milestones) {
        Instant signedUp = Instant.parse(signup);
        population.account(id, signedUp, hoursToValue == null ? null : Duration.ofHours(hoursToValue));
        if (segment != null) {
            population.segment(id, segment);
        }
        for (int i = 0; i < milestones.length; i++) {
            population.milestone(id, milestones[i], signedUp.plus(Duration.ofHours(i + 1)));
        }
    }
}
