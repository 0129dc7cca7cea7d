package dev.kizuna.delivery.inapp;

import static dev.kizuna.TestKeys.WRITE_KEY;
import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static dev.kizuna.delivery.inapp.ProductEvents.onlyNudgeOf;
import static dev.kizuna.delivery.inapp.ProductEvents.pendingNudges;
import static dev.kizuna.delivery.inapp.ProductEvents.signUpForTrial;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** POST /v1/nudges/{id}/seen, /clicked and /dismissed: the nudge's state, the list, and the message's timeline. */
@QuarkusTest
class NudgeActionsTests {

    @Test
    void seenRecordsTheShowingAndTheNudgeStaysPending() {
        Placed nudge = nudgeFor("ac-seen");

        act(nudge, "seen")
                .statusCode(200)
                .body("id", equalTo((int) nudge.id()))
                .body("status", equalTo("pending"))
                .body("seenAt", notNullValue())
                .body("clickedAt", nullValue());

        assertEquals(List.of((int) nudge.id()), pendingNudges("ac-seen").getList("nudges.id"), "still listed");
        assertEquals(List.of("seen"), timelineTypes(nudge));
        assertEquals("placement modal", timelineOf(nudge).getString("timeline[0].detail"));
    }

    @Test
    void clickedEndsTheNudgeAndRecordsWhereItLed() {
        Placed nudge = nudgeFor("ac-click");
        act(nudge, "seen").statusCode(200);

        act(nudge, "clicked")
                .statusCode(200)
                .body("status", equalTo("clicked"))
                .body("seenAt", notNullValue())
                .body("clickedAt", notNullValue());

        assertEquals(List.of(), pendingNudges("ac-click").getList("nudges"), "a clicked nudge is no longer listed");
        JsonPath message = timelineOf(nudge);
        assertEquals(List.of("seen", "clicked"), message.getList("timeline.type"));
        assertEquals("https://app.tasklane.example/projects/new", message.getString("timeline[1].detail"));
        assertEquals("sent", message.getString("status"), "the message itself stays sent");
    }

    @Test
    void dismissedEndsTheNudge() {
        Placed nudge = nudgeFor("ac-dismiss");

        act(nudge, "dismissed")
                .statusCode(200)
                .body("status", equalTo("dismissed"))
                .body("dismissedAt", notNullValue());

        assertEquals(List.of(), pendingNudges("ac-dismiss").getList("nudges"), "a dismissed nudge is no longer listed");
        assertEquals(List.of("dismissed"), timelineTypes(nudge));
    }

    @Test
    void repeatingAnActionIsAcceptedAndChangesNothing() {
        Placed nudge = nudgeFor("ac-repeat");
        String seenAt = act(nudge, "seen").statusCode(200).extract().path("seenAt");
        String clickedAt = act(nudge, "clicked").statusCode(200).extract().path("clickedAt");

        act(nudge, "seen").statusCode(200).body("seenAt", equalTo(seenAt)).body("status", equalTo("clicked"));
        act(nudge, "clicked").statusCode(200).body("clickedAt", equalTo(clickedAt));
        act(nudge, "clicked").statusCode(200).body("clickedAt", equalTo(clickedAt));

        assertEquals(List.of("seen", "clicked"), timelineTypes(nudge), "one entry of each kind");
    }

    @Test
    void aNudgeThatEndedTakesNoOtherAction() {
        Placed nudge = nudgeFor("ac-ended");
        act(nudge, "dismissed").statusCode(200);

        act(nudge, "clicked")
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", containsString("already dismissed"));
        act(nudge, "seen").statusCode(409);

        assertEquals(List.of("dismissed"), timelineTypes(nudge));
        act(nudge, "dismissed").statusCode(200).body("status", equalTo("dismissed"));
    }

    @Test
    void anUnknownNudgeIsNotFoundAndAMalformedIdIsABadRequest() {
        act(987654321L, "seen")
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no nudge with id 987654321"));
        asProduct()
                .post("/v1/nudges/abc/clicked")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"));
        asProduct().post("/v1/nudges/1/opened").then().statusCode(404);
    }

    @Test
    void actionsNeedAWriteKey() {
        Placed nudge = nudgeFor("ac-keys");
        given().auth()
                .preemptive()
                .basic("not-a-key", "")
                .post("/v1/nudges/" + nudge.id() + "/seen")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().post("/v1/nudges/" + nudge.id() + "/dismissed").then().statusCode(401);
        given().header("Authorization", "Bearer " + WRITE_KEY)
                .post("/v1/nudges/" + nudge.id() + "/dismissed")
                .then()
                .statusCode(401);

        assertEquals(List.of(), timelineTypes(nudge), "nothing was recorded");
    }

    @Test
    void erasureRemovesTheUsersNudgesAlsoAfterTheyWereSeen() {
        Placed nudge = nudgeFor("ac-erased");
        act(nudge, "seen").statusCode(200);

        asAdmin().delete("/api/users/ac-erased").then().statusCode(200).body("nudges", equalTo(1));

        assertEquals(List.of(), pendingNudges("ac-erased").getList("nudges"));
        act(nudge, "clicked").statusCode(404);
        assertEquals(List.of("seen"), timelineTypes(nudge), "the timeline stays for the statistics");
    }

    /** A nudge placed by a trial sign-up, and the message it belongs to. */
    private record Placed(long id, long messageId) {}

    private static Placed nudgeFor(String userId) {
        signUpForTrial(userId, userId + "-co");
        long id = onlyNudgeOf(userId);
        return new Placed(id, pendingNudges(userId).getLong("nudges[0].messageId"));
    }

    private static ValidatableResponse act(Placed nudge, String action) {
        return act(nudge.id(), action);
    }

    private static ValidatableResponse act(long id, String action) {
        return asProduct().post("/v1/nudges/" + id + "/" + action).then();
    }

    /** The message as the review API shows it, with its timeline. */
    private static JsonPath timelineOf(Placed nudge) {
        return asAdmin()
                .get("/api/messages/" + nudge.messageId())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<String> timelineTypes(Placed nudge) {
        return timelineOf(nudge).getList("timeline.type");
    }
}
