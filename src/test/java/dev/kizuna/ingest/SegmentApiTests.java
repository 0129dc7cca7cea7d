package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.WRITE_KEY;
import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SegmentApiTests {

    @Test
    void identifyGroupAndTrackUpdateAccountAndUserState() {
        asProduct()
                .body(Map.of(
                        "userId",
                        "api-u1",
                        "traits",
                        Map.of("email", "u1@state.example", "name", "Uma One", "role", "admin")))
                .post("/v1/identify")
                .then()
                .statusCode(200)
                .body("success", equalTo(true));
        asProduct()
                .body(Map.of(
                        "userId", "api-u1", "groupId", "api-a1", "traits", Map.of("name", "State Co", "plan", "free")))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of("userId", "api-u1", "groupId", "api-a1", "traits", Map.of("mrr", 99)))
                .post("/v1/group")
                .then()
                .statusCode(200);
        for (int i = 0; i < 3; i++) {
            asProduct()
                    .body(Map.of(
                            "userId",
                            "api-u1",
                            "event",
                            "Report Viewed",
                            "context",
                            Map.of("groupId", "api-a1"),
                            "timestamp",
                            "2026-03-0" + (i + 1) + "T10:00:00Z"))
                    .post("/v1/track")
                    .then()
                    .statusCode(200);
        }

        asAdmin()
                .get("/api/accounts/api-a1")
                .then()
                .statusCode(200)
                .body("traits.name", equalTo("State Co"))
                .body("traits.plan", equalTo("free"))
                .body("traits.mrr", equalTo(99))
                .body("events.'Report Viewed'.count", equalTo(3))
                .body("events.'Report Viewed'.firstAt", equalTo("2026-03-01T10:00:00Z"))
                .body("events.'Report Viewed'.lastAt", equalTo("2026-03-03T10:00:00Z"));
        asAdmin()
                .get("/api/users/api-u1")
                .then()
                .statusCode(200)
                .body("email", equalTo("u1@state.example"))
                .body("name", equalTo("Uma One"))
                .body("traits.role", equalTo("admin"))
                .body("accountIds", hasItem("api-a1"))
                .body("events.'Report Viewed'.count", equalTo(3));
    }

    @Test
    void aTrackWithoutAccountCountsForEveryAccountOfTheUser() {
        asProduct()
                .body(Map.of("userId", "api-u2", "groupId", "api-a2"))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of("userId", "api-u2", "event", "Logged In"))
                .post("/v1/track")
                .then()
                .statusCode(200);
        asAdmin().get("/api/accounts/api-a2").then().body("events.'Logged In'.count", equalTo(1));
    }

    @Test
    void repeatedMessageIdHasOneEffect() {
        Map<String, Object> call = Map.of(
                "userId",
                "api-u3",
                "event",
                "Exported",
                "messageId",
                "api-dup-1",
                "context",
                Map.of("groupId", "api-a3"));
        asProduct().body(call).post("/v1/track").then().statusCode(200).body("success", equalTo(true));
        asProduct().body(call).post("/v1/track").then().statusCode(200).body("success", equalTo(true));
        asAdmin().get("/api/accounts/api-a3").then().body("events.'Exported'.count", equalTo(1));
    }

    @Test
    void clientClockSkewIsCorrectedFromSentAt() {
        // The client's clock is a year ahead: it says the event happened 10 s before it was sent.
        asProduct()
                .body(Map.of(
                        "userId",
                        "api-u4",
                        "event",
                        "Skewed",
                        "context",
                        Map.of("groupId", "api-a4"),
                        "originalTimestamp",
                        "2027-06-01T10:00:00Z",
                        "sentAt",
                        "2027-06-01T10:00:10Z"))
                .post("/v1/track")
                .then()
                .statusCode(200);
        String lastAt = asAdmin().get("/api/accounts/api-a4").then().extract().path("events.'Skewed'.lastAt");
        org.junit.jupiter.api.Assertions.assertTrue(lastAt.startsWith("202"), lastAt);
        org.junit.jupiter.api.Assertions.assertTrue(
                java.time.Instant.parse(lastAt).isBefore(java.time.Instant.now()),
                "the corrected time is before now, not a year ahead: " + lastAt);
    }

    @Test
    void malformedJsonIsA400ThatSaysWhere() {
        asProduct()
                .body("{\"userId\": \"x\", \"event\": }")
                .post("/v1/track")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("line 1"));
    }

    @Test
    void missingIdentityAndEventAreNamed() {
        asProduct()
                .body(Map.of("properties", Map.of()))
                .post("/v1/track")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("userId"))
                .body("errors.field", hasItem("event"));
    }

    @Test
    void wrongTypesAreNamed() {
        asProduct()
                .body(Map.of("userId", "x", "traits", "not an object"))
                .post("/v1/identify")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("traits"));
        asProduct()
                .body(Map.of("userId", "x", "event", "E", "timestamp", "yesterday"))
                .post("/v1/track")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("timestamp"));
        asProduct().body("[1, 2]").post("/v1/track").then().statusCode(400);
    }

    @Test
    void eventNamesStartingWithKizunaAreReserved() {
        asProduct()
                .body(Map.of("userId", "x", "event", "Kizuna.Email.Clicked"))
                .post("/v1/track")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("event"))
                .body("errors[0].message", containsString("reserved for the events Kizuna records itself"));
        asProduct()
                .body(Map.of(
                        "batch",
                        List.of(
                                Map.of("type", "track", "userId", "x", "event", "Opened Kizuna"),
                                Map.of("type", "track", "userId", "x", "event", "kizuna.nudge.seen"))))
                .post("/v1/batch")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("batch[1].event"));
    }

    @Test
    void groupNeedsAGroupId() {
        asProduct()
                .body(Map.of("userId", "x"))
                .post("/v1/group")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("groupId"));
    }

    @Test
    void aMissingOrWrongWriteKeyIs401() {
        given().contentType("application/json")
                .body(Map.of("userId", "x"))
                .post("/v1/identify")
                .then()
                .statusCode(401)
                .body("detail", containsString("write key"));
        given().auth()
                .preemptive()
                .basic("not-a-key", "")
                .contentType("application/json")
                .body(Map.of("userId", "x"))
                .post("/v1/identify")
                .then()
                .statusCode(401);
        given().auth()
                .preemptive()
                .basic(WRITE_KEY, "")
                .get("/v1/nudges")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("userId"));
    }
}
