package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A call in the log that cannot be processed, whatever the timing, does not hold up the calls
 * behind it: it is set aside with its error, kept for an operator and counted in the metrics and
 * the readiness check, while the calls around it take effect.
 */
@QuarkusTest
class SetAsideCallsTests {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aStoredCallThatIsNotReadableIsSetAsideAndTheCallsBehindItGoOn() throws Exception {
        appendToLog("sa-unreadable", "track", "{not json");

        asProduct()
                .body(Map.of("userId", "sa-ada", "groupId", "sa-co", "traits", Map.of("name", "Set Aside Co")))
                .post("/v1/group")
                .then()
                .statusCode(200)
                .body("decided", equalTo(true));

        asAdmin().get("/api/accounts/sa-co").then().statusCode(200);
        assertTrue(errorOf("sa-unreadable").startsWith("the stored call cannot be read"), errorOf("sa-unreadable"));
    }

    @Test
    void aCallThatFailsWhenAppliedIsSetAsideWithItsErrorAndTheOthersOfItsBatchTakeEffect() throws Exception {
        appendToLog("sa-no-such-type", "nonsense", "{\"traits\":{},\"properties\":{},\"context\":{}}");

        asProduct()
                .body(Map.of(
                        "batch",
                        java.util.List.of(
                                Map.of(
                                        "type",
                                        "identify",
                                        "userId",
                                        "sa-bob",
                                        "traits",
                                        Map.of("email", "bob@sa.example")),
                                Map.of("type", "track", "userId", "sa-bob", "event", "Project Created"))))
                .post("/v1/batch")
                .then()
                .statusCode(200)
                .body("decided", equalTo(true));

        asAdmin().get("/api/users/sa-bob").then().statusCode(200).body("email", equalTo("bob@sa.example"));
        assertTrue(!errorOf("sa-no-such-type").isEmpty());
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("kizuna_ingest_set_aside_total"), "set-aside calls are counted");
        // The backlog figures are measured once a second.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body(
                                "checks.find { it.name == 'call processing' }.data.setAsideEvents",
                                greaterThanOrEqualTo(1)));
    }

    /** As if an acknowledged call were in the log already, ahead of the test's own calls. */
    private void appendToLog(String messageId, String type, String payload) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                insert into pending_call (message_id, type, user_id, payload, occurred_at, received_at)
                values (?, ?, 'sa-ghost', ?, ?, ?)""")) {
            Timestamp now = Timestamp.from(Instant.now());
            insert.setString(1, messageId);
            insert.setString(2, type);
            insert.setString(3, payload);
            insert.setTimestamp(4, now);
            insert.setTimestamp(5, now);
            insert.executeUpdate();
        }
    }

    private String errorOf(String messageId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select error from pending_call where message_id = ? and failed_at is not null")) {
            query.setString(1, messageId);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), messageId + " is kept in the log, set aside");
                String error = rows.getString(1);
                assertEquals(false, rows.next());
                return error;
            }
        }
    }
}
