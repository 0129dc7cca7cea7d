package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static dev.kizuna.TestKeys.asProductNotWaiting;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A /v1 call is answered once it is durably in the log, before it is processed. On an instance
 * that only acknowledges (kizuna.ingest.processor.enabled=false) and no other to process, the
 * calls wait in the log: the lag shows in the metrics and the readiness check, a caller asking to
 * wait for the decisions is told they are not made yet, and past kizuna.ingest.max-lag new calls
 * are refused with 503 rather than piling up.
 */
@QuarkusTest
@TestProfile(AcknowledgedBeforeProcessedTests.AcknowledgingOnly.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcknowledgedBeforeProcessedTests {

    public static class AcknowledgingOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kizuna.ingest.processor.enabled", "false",
                    "kizuna.ingest.wait-timeout", "1s",
                    "kizuna.ingest.max-lag", "4s");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    @Order(1)
    void aCallIsAnsweredOnceItIsInTheLogBeforeItTakesEffect() throws Exception {
        // Calls that test classes before this one left unprocessed would count towards the lag bound.
        execute("delete from pending_call");
        asProductNotWaiting()
                .body(Map.of(
                        "userId",
                        "ab-ada",
                        "groupId",
                        "ab-co",
                        "messageId",
                        "ab-group-1",
                        "traits",
                        Map.of("name", "Acknowledged Co")))
                .post("/v1/group")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("decided", nullValue());

        assertEquals(
                1,
                count("select count(*) from pending_call where message_id = ?", "ab-group-1"),
                "the call waits in the log");
        assertEquals(
                1,
                count("select count(*) from ingested_message where message_id = ?", "ab-group-1"),
                "its messageId is claimed");
        asAdmin().get("/api/accounts/ab-co").then().statusCode(404);

        // A retry of the same call is acknowledged and not logged twice.
        asProductNotWaiting()
                .body(Map.of(
                        "userId",
                        "ab-ada",
                        "groupId",
                        "ab-co",
                        "messageId",
                        "ab-group-1",
                        "traits",
                        Map.of("name", "Acknowledged Co")))
                .post("/v1/group")
                .then()
                .statusCode(200);
        assertEquals(1, count("select count(*) from pending_call where message_id = ?", "ab-group-1"));
    }

    @Test
    @Order(2)
    void aCallerWaitingForTheDecisionsIsToldWhenTheyAreNotMadeInTime() throws Exception {
        long started = System.nanoTime();
        asProduct()
                .body(Map.of("userId", "ab-ada", "event", "Project Created", "messageId", "ab-track-1"))
                .post("/v1/track")
                .then()
                .statusCode(202)
                .body("success", equalTo(true))
                .body("decided", equalTo(false));
        assertTrue(
                Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(900)) >= 0,
                "the answer came after kizuna.ingest.wait-timeout");
        assertEquals(
                1,
                count("select count(*) from pending_call where message_id = ?", "ab-track-1"),
                "the call is acknowledged all the same");
    }

    @Test
    @Order(2)
    void aCallerWaitingHereIsAnsweredOnceAnotherInstanceHasProcessedTheCalls() throws Exception {
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> asProduct()
                .body(Map.of("userId", "ab-ada", "event", "Project Created", "messageId", "ab-elsewhere-1"))
                .post("/v1/track"));
        await().atMost(Duration.ofMillis(800))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> count("select count(*) from pending_call where message_id = ?", "ab-elsewhere-1") == 1);

        // What the processing instance's commit does to the log: this instance learns of it only from the database.
        execute("delete from pending_call where message_id = 'ab-elsewhere-1'");

        Response answer = waiting.get(5, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals(Boolean.TRUE, answer.path("decided"));
    }

    @Test
    @Order(3)
    void erasingAUserTakesTheirCallsOutOfTheLogSoThatProcessingCannotBringThemBack() throws Exception {
        asProductNotWaiting()
                .body(Map.of(
                        "userId",
                        "ab-erased",
                        "traits",
                        Map.of("email", "erased@ab.example"),
                        "messageId",
                        "ab-erased-1"))
                .post("/v1/identify")
                .then()
                .statusCode(200);
        assertEquals(1, count("select count(*) from pending_call where message_id = ?", "ab-erased-1"));

        asAdmin().delete("/api/users/ab-erased").then().statusCode(200);

        assertEquals(0, count("select count(*) from pending_call where message_id = ?", "ab-erased-1"));
    }

    @Test
    @Order(3)
    void anUnknownWaitIsABadRequestThatNamesTheParameter() {
        asProductNotWaiting()
                .queryParam("wait", "forever")
                .body(Map.of("userId", "ab-ada", "event", "Project Created"))
                .post("/v1/track")
                .then()
                .statusCode(400)
                .body("detail", containsString("wait"))
                .body("detail", containsString("forever"));
    }

    @Test
    @Order(4)
    void theLagShowsInTheMetricsAndTheReadinessCheck() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics =
                    given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(gauge(metrics, "kizuna_ingest_lag_events") >= 2, "calls waiting in the metrics");
            assertTrue(gauge(metrics, "kizuna_ingest_lag_seconds") >= 1, "their age in the metrics");
        });
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'call processing' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'call processing' }.data.lagEvents", notNullValue())
                .body("checks.find { it.name == 'call processing' }.data.processesHere", equalTo(false));
    }

    @Test
    @Order(5)
    void pastTheLagBoundCallsAreRefusedWith503AndAreNotAcknowledged() throws Exception {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> trackAnswer("ab-refused").statusCode() == 503);
        Response refused = trackAnswer("ab-refused-again");
        assertEquals(503, refused.statusCode());
        assertTrue(refused.getHeader("Retry-After") != null, "the caller is told when to retry");
        assertTrue(refused.asString().contains("kizuna.ingest.max-lag"), refused.asString());
        assertEquals(
                0,
                count("select count(*) from ingested_message where message_id = ?", "ab-refused-again"),
                "a refused call is not acknowledged: its retry will take effect");
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'call processing' }.data.acceptingCalls", equalTo(false));
    }

    private static Response trackAnswer(String messageId) {
        return asProductNotWaiting()
                .body(Map.of("userId", "ab-ada", "event", "Project Created", "messageId", messageId))
                .post("/v1/track");
    }

    private static double gauge(String metrics, String name) {
        Matcher gauge =
                Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(metrics);
        assertTrue(gauge.find(), name + " in /q/metrics");
        return Double.parseDouble(gauge.group(1));
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    private long count(String sql, String parameter) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
