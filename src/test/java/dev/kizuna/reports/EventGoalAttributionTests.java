package dev.kizuna.reports;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An event goal: win-back-inactive wants a "Logged In" within 7 days of its message. The event
 * counts for the account when sent with its groupId, or by one of its members without one.
 */
@QuarkusTest
class EventGoalAttributionTests {

    private static final String RULE = "win-back-inactive";
    private static final Instant MESSAGE = Instant.parse("2016-01-10T09:00:00Z");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Attribution attribution;

    @Test
    void theGoalEventInsideTheWindowConvertsAndOneBeforeOrAfterItDoesNot() throws SQLException {
        new Population(dataSource)
                .message(RULE, "evt-inside", "HELD_OUT", "EMAIL", RULE, "en", MESSAGE)
                .message(RULE, "evt-member", "SENT", "EMAIL", RULE, "en", MESSAGE)
                .message(RULE, "evt-outside", "SENT", "EMAIL", RULE, "en", MESSAGE)
                .insert();
        logIn("evt-inside", "2016-01-13T08:00:00Z", true);
        asProduct()
                .body(Map.of("userId", "u-evt-member", "groupId", "evt-member", "timestamp", "2016-01-01T00:00:00Z"))
                .post("/v1/group")
                .then()
                .statusCode(200);
        logIn("evt-member", "2016-01-12T09:00:00Z", false);
        logIn("evt-outside", "2016-01-09T09:00:00Z", true);
        logIn("evt-outside", "2016-01-18T09:00:00Z", true);

        attribution.run();

        assertEquals(
                "2016-01-13T08:00:00Z",
                messageOf("evt-inside").getString("items[0].convertedAt"),
                "held out messages are followed too");
        assertEquals("2016-01-12T09:00:00Z", messageOf("evt-member").getString("items[0].convertedAt"));
        assertNull(messageOf("evt-outside").get("items[0].convertedAt"), "one day before and one day after the 7 days");
    }

    private static void logIn(String account, String at, boolean withAccount) {
        Map<String, Object> call = withAccount
                ? Map.of(
                        "userId",
                        "u-" + account,
                        "event",
                        "Logged In",
                        "context",
                        Map.of("groupId", account),
                        "timestamp",
                        at)
                : Map.of("userId", "u-" + account, "event", "Logged In", "timestamp", at);
        asProduct().body(call).post("/v1/track").then().statusCode(200);
    }

    private static JsonPath messageOf(String account) {
        return asAdmin()
                .queryParam("accountId", account)
                .queryParam("rule", RULE)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
