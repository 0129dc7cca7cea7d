package dev.kizuna.decisions;

import static dev.kizuna.SegmentCalls.batch;
import static dev.kizuna.SegmentCalls.group;
import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A batch of calls that trigger rules is decided as a set, with a few statements for all of it,
 * and with the outcome of deciding the calls one by one in the order they came: a decision sees
 * the state its call left and the decisions made before it, never the calls after it.
 */
@QuarkusTest
class DecisionsInSetsTests {

    @Test
    void decidingABatchCostsAHandfulOfStatementsHoweverManyCallsItDecides() {
        // The same batch over different users: once with an event no rule is triggered by, once
        // with one that fires upgrade-at-usage-limit (an in-app nudge) for every call. Each three
        // times, keeping the lowest count: the counter also counts what runs in the background
        // meanwhile (the processor looking for calls, email of earlier tests being retried).
        double applying = Double.MAX_VALUE;
        double applyingAndDeciding = Double.MAX_VALUE;
        for (String round : List.of("1", "2", "3")) {
            signUp("plain" + round, 100, "free");
            signUp("set" + round, 100, "free");
            applying = Math.min(applying, statementsFor(batchOf("plain" + round, "Report Viewed")));
            applyingAndDeciding =
                    Math.min(applyingAndDeciding, statementsFor(batchOf("set" + round, "Usage Limit Reached")));
        }

        for (int i = 0; i < 100; i += 33) {
            assertEquals(
                    List.of("sent"),
                    messagesOf("set1-a" + i, "upgrade-at-usage-limit").getList("items.status"),
                    "account set1-a" + i);
        }
        // One by one, each decision cost about 20 statements (snapshot, history, caps, message,
        // nudge); as a set, the user snapshots, history, caps, ids, messages and nudges of all of
        // them take one or two statements each (about 8 in all, with room for the background).
        double deciding = applyingAndDeciding - applying;
        assertTrue(deciding <= 25, "statements for deciding 100 calls: " + deciding);
    }

    private static List<Map<String, Object>> batchOf(String prefix, String event) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(Map.of(
                    "type",
                    "track",
                    "userId",
                    prefix + "-u" + i,
                    "event",
                    event,
                    "context",
                    Map.of("groupId", prefix + "-a" + i)));
        }
        return batch;
    }

    private static double statementsFor(List<Map<String, Object>> batch) {
        double before = statements();
        batch(batch).statusCode(200);
        return statements() - before;
    }

    @Test
    void aDecisionDoesNotSeeTheCallsAfterItInTheSameBatch() {
        signUp("order", 2, "trial");
        group("order-u1", "order-a0", Map.of("plan", "trial")).statusCode(200);
        // Both users of one account create their first project in one batch: the first call is the
        // account's first project and fires; the second is its second and does not.
        batch(List.of(
                        Map.of(
                                "type",
                                "track",
                                "userId",
                                "order-u0",
                                "event",
                                "Project Created",
                                "messageId",
                                "order-first",
                                "context",
                                Map.of("groupId", "order-a0")),
                        Map.of(
                                "type",
                                "track",
                                "userId",
                                "order-u1",
                                "event",
                                "Project Created",
                                "messageId",
                                "order-second",
                                "context",
                                Map.of("groupId", "order-a0"))))
                .statusCode(200);

        // invite-teammates: on the account's first Project Created, once per account, an in-app nudge and an email.
        JsonPath messages = messagesOf("order-a0", "invite-teammates");
        assertEquals(2, messages.getList("items").size(), messages.prettify());
        assertEquals(List.of("order-first", "order-first"), messages.getList("items.cause.ref"));
        assertEquals(List.of("order-u0", "order-u0"), messages.getList("items.userId"));
    }

    /** Users {prefix}-u{i}, each with an email address, in accounts {prefix}-a{i} on the plan. */
    private static void signUp(String prefix, int count, String plan) {
        List<Map<String, Object>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(Map.of(
                    "type",
                    "identify",
                    "userId",
                    prefix + "-u" + i,
                    "traits",
                    Map.of("email", prefix + "-u" + i + "@sets.example")));
            calls.add(Map.of(
                    "type",
                    "group",
                    "userId",
                    prefix + "-u" + i,
                    "groupId",
                    prefix + "-a" + i,
                    "traits",
                    Map.of("plan", plan)));
        }
        batch(calls).statusCode(200);
    }

    private static JsonPath messagesOf(String accountId, String rule) {
        return asAdmin()
                .queryParam("accountId", accountId)
                .queryParam("rule", rule)
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static double statements() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher counter = Pattern.compile("(?m)^kizuna_database_statements_total(?:\\{[^}]*\\})? (\\S+)$")
                .matcher(metrics);
        assertTrue(counter.find(), "kizuna_database_statements_total in /q/metrics");
        return Double.parseDouble(counter.group(1));
    }
}
