package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.WRITE_KEY;
import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the whole Segment API does to the state rules read. */
@QuarkusTest
class IngestionStateTests {

    @Test
    void aBatchAppliesEveryCallItCarries() {
        asProduct()
                .body(Map.of(
                        "batch",
                        List.of(
                                Map.of(
                                        "type",
                                        "identify",
                                        "userId",
                                        "st-b1",
                                        "traits",
                                        Map.of("email", "b1@batch.example")),
                                Map.of(
                                        "type",
                                        "group",
                                        "userId",
                                        "st-b1",
                                        "groupId",
                                        "st-batch-co",
                                        "traits",
                                        Map.of("plan", "free")),
                                Map.of("type", "track", "userId", "st-b1", "event", "Task Done"),
                                Map.of("type", "track", "userId", "st-b1", "event", "Task Done"),
                                Map.of("type", "page", "userId", "st-b1", "name", "Pricing"),
                                Map.of("type", "screen", "userId", "st-b1", "name", "Home")),
                        "sentAt",
                        Instant.now().toString()))
                .post("/v1/batch")
                .then()
                .statusCode(200)
                .body("success", equalTo(true));

        asAdmin()
                .get("/api/accounts/st-batch-co")
                .then()
                .statusCode(200)
                .body("plan", equalTo("free"))
                .body("userIds", contains("st-b1"))
                .body("events.'Task Done'.count", equalTo(2))
                .body("events.'Viewed Pricing Page'.count", equalTo(1))
                .body("events.'Viewed Home Screen'.count", equalTo(1));
        asAdmin().get("/api/users/st-b1").then().body("email", equalTo("b1@batch.example"));
    }

    @Test
    void theWriteKeyMayTravelInTheBody() {
        given().contentType("text/plain")
                .queryParam("wait", "decided")
                .body("{\"writeKey\":\"" + WRITE_KEY + "\",\"userId\":\"st-wk\",\"traits\":{\"name\":\"Key In Body\"}}")
                .post("/v1/identify")
                .then()
                .statusCode(200);
        asAdmin().get("/api/users/st-wk").then().body("name", equalTo("Key In Body"));
        given().contentType("application/json")
                .body(Map.of("writeKey", "wrong", "userId", "x"))
                .post("/v1/identify")
                .then()
                .statusCode(401);
    }

    @Test
    void groupTraitsAreMergedAndGiveTheAccountItsPlanRevenueSignupAndOwner() {
        asProduct()
                .body(Map.of(
                        "userId",
                        "st-g1",
                        "groupId",
                        "st-merge-co",
                        "traits",
                        Map.of("name", "Merge Co", "plan", "team", "mrr", 250, "createdAt", "2026-01-15T08:00:00Z")))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of(
                        "userId",
                        "st-g1",
                        "groupId",
                        "st-merge-co",
                        "traits",
                        Map.of("csm", "yui@tasklane.example", "timezone", "Asia/Tokyo", "locale", "ja")))
                .post("/v1/group")
                .then()
                .statusCode(200);

        asAdmin()
                .get("/api/accounts/st-merge-co")
                .then()
                .statusCode(200)
                .body("name", equalTo("Merge Co"))
                .body("plan", equalTo("team"))
                .body("mrr", equalTo(250.0f))
                .body("arr", equalTo(3000.0f))
                .body("signedUpAt", equalTo("2026-01-15T08:00:00Z"))
                .body("ownerCsm", equalTo("yui@tasklane.example"))
                .body("timezone", equalTo("Asia/Tokyo"))
                .body("locale", equalTo("ja"))
                .body("traits.name", equalTo("Merge Co"));
    }

    @Test
    void aUserCanBelongToSeveralAccounts() {
        asProduct()
                .body(Map.of("userId", "st-multi", "groupId", "st-multi-a"))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of("userId", "st-multi", "groupId", "st-multi-b"))
                .post("/v1/group")
                .then()
                .statusCode(200);
        // Both memberships may be stamped in the same millisecond: the claim is about membership, not order.
        asAdmin().get("/api/users/st-multi").then().body("accountIds", containsInAnyOrder("st-multi-a", "st-multi-b"));
    }

    @Test
    void recentWindowsCountOnlyTheirDays() {
        Instant now = Instant.now();
        for (int daysAgo : new int[] {0, 3, 10, 20, 45}) {
            asProduct()
                    .body(Map.of(
                            "userId",
                            "st-w1",
                            "event",
                            "Logged In",
                            "context",
                            Map.of("groupId", "st-window-co"),
                            "timestamp",
                            now.minus(daysAgo, ChronoUnit.DAYS).toString()))
                    .post("/v1/track")
                    .then()
                    .statusCode(200);
        }
        asAdmin()
                .get("/api/accounts/st-window-co")
                .then()
                .body("events.'Logged In'.count", equalTo(5))
                .body("events.'Logged In'.last7Days", equalTo(2))
                .body("events.'Logged In'.last30Days", equalTo(4));
    }

    @Test
    void anAliasMakesCallsUnderThePreviousIdCountForTheUser() {
        asProduct()
                .body(Map.of("previousId", "st-anon-42", "userId", "st-known"))
                .post("/v1/alias")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of(
                        "anonymousId", "st-anon-42", "event", "Docs Read", "context", Map.of("groupId", "st-alias-co")))
                .post("/v1/track")
                .then()
                .statusCode(200);
        asAdmin().get("/api/users/st-known").then().statusCode(200).body("events.'Docs Read'.count", equalTo(1));
    }

    @Test
    void anAliasCountsForTheCallsAfterItInTheSameBatch() {
        asProduct()
                .body(Map.of(
                        "batch",
                        List.of(
                                Map.of("type", "alias", "previousId", "st-anon-77", "userId", "st-batch-known"),
                                Map.of(
                                        "type",
                                        "track",
                                        "anonymousId",
                                        "st-anon-77",
                                        "event",
                                        "Docs Read",
                                        "context",
                                        Map.of("groupId", "st-alias-batch-co")),
                                Map.of("type", "track", "userId", "st-batch-known", "event", "Docs Read"))))
                .post("/v1/batch")
                .then()
                .statusCode(200);
        asAdmin().get("/api/users/st-batch-known").then().statusCode(200).body("events.'Docs Read'.count", equalTo(2));
        asAdmin()
                .get("/api/accounts/st-alias-batch-co")
                .then()
                .statusCode(200)
                .body("events.'Docs Read'.count", equalTo(1));
    }

    @Test
    void accountsAreListedWithFiltersAndPages() {
        for (String id : List.of("st-list-1", "st-list-2", "st-list-3")) {
            asProduct()
                    .body(Map.of(
                            "userId",
                            "st-lister",
                            "groupId",
                            id,
                            "traits",
                            Map.of("plan", "st-list-plan", "csm", "kenji")))
                    .post("/v1/group")
                    .then()
                    .statusCode(200);
        }
        String next = asAdmin()
                .queryParam("plan", "st-list-plan")
                .queryParam("limit", 2)
                .get("/api/accounts")
                .then()
                .statusCode(200)
                .body("items.id", contains("st-list-1", "st-list-2"))
                .extract()
                .path("nextAfter");
        asAdmin()
                .queryParam("plan", "st-list-plan")
                .queryParam("limit", 2)
                .queryParam("after", next)
                .get("/api/accounts")
                .then()
                .body("items.id", contains("st-list-3"))
                .body("nextAfter", nullValue());
        asAdmin()
                .queryParam("csm", "kenji")
                .queryParam("q", "LIST-2")
                .get("/api/accounts")
                .then()
                .body("items.id", contains("st-list-2"));
    }

    @Test
    void anAccountsRawEventsAreListedNewestFirst() {
        asProduct()
                .body(Map.of("userId", "st-ev", "event", "First", "context", Map.of("groupId", "st-events-co")))
                .post("/v1/track")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of(
                        "userId",
                        "st-ev",
                        "event",
                        "Second",
                        "properties",
                        Map.of("size", 3),
                        "context",
                        Map.of("groupId", "st-events-co")))
                .post("/v1/track")
                .then()
                .statusCode(200);
        asAdmin()
                .get("/api/accounts/st-events-co/events")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].name", equalTo("Second"))
                .body("items[0].payload.properties.size", equalTo(3))
                .body("items[1].name", equalTo("First"));
    }

    @Test
    void anUnknownAccountIs404() {
        asAdmin()
                .get("/api/accounts/st-nobody")
                .then()
                .statusCode(404)
                .body("detail", equalTo("no account with id 'st-nobody'"));
    }

    @Test
    void anAccountAppearsInTheListOnceItsFirstCallArrives() {
        asAdmin()
                .queryParam("q", "st-listed-once")
                .get("/api/accounts")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        asProduct()
                .body(Map.of("userId", "st-lu", "groupId", "st-listed-once", "traits", Map.of("plan", "free")))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asAdmin()
                .queryParam("q", "st-listed-once")
                .get("/api/accounts")
                .then()
                .statusCode(200)
                .body("items.id", contains("st-listed-once"));
    }
}
