package dev.kizuna.delivery.inapp;

import static dev.kizuna.TestKeys.asProduct;
import static org.hamcrest.Matchers.equalTo;

import dev.kizuna.Scenario;
import dev.kizuna.SegmentCalls;
import io.restassured.path.json.JsonPath;
import java.util.Map;

/**
 * What a product sends that makes the sample rules decide nudges. Users have no email address,
 * so the email half of a rule fails without needing an SMTP server; the nudge half is delivered.
 */
final class ProductEvents {

    private ProductEvents() {}

    /** A trial sign-up: welcome-new-workspace places the create-first-project nudge (a modal). */
    static void signUpForTrial(String userId, String accountId) {
        // No messageId: each sign-up is a new call, as the original helper sent it.
        Scenario.trialUser(userId, accountId)
                .withTraits(Map.of("name", "Test " + userId))
                .inAccountNamed("Workspace " + accountId)
                .identifies()
                .joinsTheAccount()
                .tracks(Scenario.SIGNED_UP);
    }

    /** The account's first project: invite-teammates places its nudge. */
    static void createFirstProject(String userId, String accountId) {
        track(userId, accountId, "Project Created");
    }

    static void identify(String userId) {
        SegmentCalls.identify(userId, Map.of("name", "Test " + userId))
                .statusCode(200)
                .body("success", equalTo(true));
    }

    static void track(String userId, String accountId, String event) {
        SegmentCalls.track(userId, event, accountId, null).statusCode(200).body("success", equalTo(true));
    }

    /** GET /v1/nudges for the user. */
    static JsonPath pendingNudges(String userId) {
        return asProduct()
                .queryParam("userId", userId)
                .get("/v1/nudges")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The id of the user's only pending nudge. */
    static long onlyNudgeOf(String userId) {
        JsonPath nudges = pendingNudges(userId);
        if (nudges.getList("nudges").size() != 1) {
            throw new AssertionError("expected one pending nudge for " + userId + ", got " + nudges.prettify());
        }
        return nudges.getLong("nudges[0].id");
    }
}
