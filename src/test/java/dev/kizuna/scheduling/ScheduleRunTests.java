package dev.kizuna.scheduling;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.decisions.ScheduleRuns;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scheduled rule can be fired by hand; every firing is recorded with its progress. */
@QuarkusTest
class ScheduleRunTests {

    private static final String RULE = "weekly-onboarding-checkin";

    @Test
    void aScheduledRuleFiredByHandSweepsTheMembersOfItsAudienceAndIsRecorded() {
        // The weekly check-in is aimed at low-touch accounts: an ARR from 6,000 to 60,000.
        for (String account : new String[] {"runs-one", "runs-two", "runs-three"}) {
            asProduct()
                    .body(Map.of(
                            "userId",
                            account + "-user",
                            "groupId",
                            account,
                            "traits",
                            Map.of("plan", "team", "arr", 12_000)))
                    .post("/v1/group")
                    .then()
                    .statusCode(200);
        }

        String firingId = asAdmin()
                .post("/api/rules/" + RULE + "/run")
                .then()
                .statusCode(202)
                .body("rule", equalTo(RULE))
                .body("firingId", startsWith(RULE + "@manual-"))
                .extract()
                .path("firingId");

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Response runs = asAdmin().get("/api/rules/" + RULE + "/runs");
                    return runs.statusCode() == 200
                            && runs.jsonPath()
                                            .getList("findAll { it.firingId == '" + firingId
                                                    + "' && it.finishedAt != null }")
                                            .size()
                                    == 1;
                });
        Map<String, Object> run = asAdmin()
                .get("/api/rules/" + RULE + "/runs")
                .jsonPath()
                .getMap("find { it.firingId == '" + firingId + "' }");
        assertTrue(
                ((Number) run.get("accountsSeen")).longValue() >= 3,
                "every member of its audience was looked at: " + run);
        assertTrue(((Number) run.get("accountsTotal")).longValue() >= 3, "the accounts it set out to sweep: " + run);
        assertEquals(1.0, ((Number) run.get("progress")).doubleValue(), "a finished firing is done: " + run);
        assertNull(run.get("projectedFinishAt"), "and projects no end: " + run);
        asAdmin().get("/api/audit").then().statusCode(200).body("items.action", hasItem("rules.run"));
    }

    @Test
    void aRunningFiringShowsHowFarItGotAndWhenItShouldEndAtItsRateSoFar() {
        Instant started = Instant.parse("2026-12-03T09:00:00Z");
        ScheduleRuns.Run quarterDone =
                ScheduleRuns.Run.of("r@1", "r", List.of("r"), started, null, 250, 3, 1000L, 0, started.plusSeconds(60));
        assertEquals(0.25, quarterDone.progress());
        assertEquals(
                started.plusSeconds(240),
                quarterDone.projectedFinishAt(),
                "three more minutes at one minute a quarter");

        ScheduleRuns.Run notYetCounted =
                ScheduleRuns.Run.of("r@2", "r", List.of("r"), started, null, 0, 0, 1000L, 0, started.plusSeconds(5));
        assertEquals(0.0, notYetCounted.progress());
        assertNull(notYetCounted.projectedFinishAt(), "no rate yet, no projection");

        ScheduleRuns.Run accountsAddedMeanwhile = ScheduleRuns.Run.of(
                "r@3", "r", List.of("r"), started, null, 1200, 0, 1000L, 0, started.plusSeconds(60));
        assertEquals(1.0, accountsAddedMeanwhile.progress(), "never past the end");
        assertEquals(started.plusSeconds(60), accountsAddedMeanwhile.projectedFinishAt(), "due now");

        ScheduleRuns.Run recordedBeforeTotalsWereKept =
                ScheduleRuns.Run.of("r@4", "r", List.of("r"), started, null, 10, 0, null, 0, started.plusSeconds(60));
        assertNull(recordedBeforeTotalsWereKept.progress());
        assertNull(recordedBeforeTotalsWereKept.projectedFinishAt());
    }

    @Test
    void onlyScheduledRulesInForceCanBeFired() {
        asAdmin()
                .post("/api/rules/invite-teammates/run")
                .then()
                .statusCode(409)
                .body("detail", containsString("not by a schedule"));
        asAdmin()
                .post("/api/rules/no-such-rule/run")
                .then()
                .statusCode(404)
                .body("detail", containsString("no-such-rule"));
        asAdmin()
                .get("/api/rules/" + RULE + "/runs?limit=0")
                .then()
                .statusCode(400)
                .body("detail", containsString("limit"));
    }
}
