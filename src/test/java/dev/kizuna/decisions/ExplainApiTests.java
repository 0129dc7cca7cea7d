package dev.kizuna.decisions;

import static dev.kizuna.SegmentCalls.group;
import static dev.kizuna.SegmentCalls.identify;
import static dev.kizuna.SegmentCalls.track;
import static dev.kizuna.TestKeys.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.kizuna.tracking.SuppressionList;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Anyone can ask why an account did or did not get a rule's message, and check a rule file before saving it. */
@QuarkusTest
class ExplainApiTests {

    @Inject
    SuppressionList suppressions;

    @Test
    void explainShowsEachCheckAndWhyTheRuleWouldNotFireAgain() {
        trialUser("ex-u", "ex-co", "ex@explain.example");
        asAdmin()
                .queryParam("rule", "welcome-new-workspace")
                .get("/api/accounts/ex-co/explain")
                .then()
                .statusCode(200)
                .body("users[0].verdict", equalTo("fire"))
                .body("users[0].wouldSend", equalTo(true))
                .body("users[0].checks.name", hasItem("condition"))
                .body("users[0].checks.find { it.name == 'condition' }.detail", containsString("is true"));

        track("ex-u", "Signed Up", "ex-co", null).statusCode(200);
        asAdmin()
                .queryParam("rule", "welcome-new-workspace")
                .get("/api/accounts/ex-co/explain")
                .then()
                .statusCode(200)
                .body("users[0].verdict", equalTo("skip"))
                .body("users[0].wouldSend", equalTo(false))
                .body("users[0].checks.find { it.name == 'limit' }.detail", equalTo("already sent once per user"));
    }

    @Test
    void aSuppressedAddressWouldNotBeSentTo() {
        trialUser("ex-supp-u", "ex-supp-co", "ex-supp@explain.example");
        QuarkusTransaction.requiringNew()
                .run(() -> suppressions.suppress("ex-supp@explain.example", SuppressionList.HARD_BOUNCE));
        asAdmin()
                .queryParam("rule", "welcome-new-workspace")
                .get("/api/accounts/ex-supp-co/explain")
                .then()
                .statusCode(200)
                .body("users[0].verdict", equalTo("fire"))
                .body("users[0].checks.find { it.name == 'suppression' }.passed", equalTo(false))
                .body("users[0].wouldSend", equalTo(false));
    }

    @Test
    void anUnsubscribedCategoryWouldNotBeSent() {
        trialUser("ex-unsub-u", "ex-unsub-co", "ex-unsub@explain.example");
        asAdmin()
                .contentType("application/json")
                .body(Map.of("subscribed", false))
                .put("/api/users/ex-unsub-u/preferences/onboarding")
                .then()
                .statusCode(200);
        asAdmin()
                .queryParam("rule", "welcome-new-workspace")
                .get("/api/accounts/ex-unsub-co/explain")
                .then()
                .statusCode(200)
                .body("users[0].verdict", equalTo("fire"))
                .body("users[0].checks.find { it.name == 'subscription' }.passed", equalTo(false))
                .body("users[0].wouldSend", equalTo(false));
    }

    @Test
    void aUserWithoutAnAddressWouldNotBeSentTo() {
        group("ex-noaddr-u", "ex-noaddr-co", Map.of("plan", "trial")).statusCode(200);
        asAdmin()
                .queryParam("rule", "welcome-new-workspace")
                .get("/api/accounts/ex-noaddr-co/explain")
                .then()
                .statusCode(200)
                .body("users[0].verdict", equalTo("fire"))
                .body("users[0].checks.find { it.name == 'address' }.passed", equalTo(false))
                .body("users[0].wouldSend", equalTo(false));
    }

    @Test
    void aConditionThatDoesNotHoldWouldNotSend() {
        identify("ex-paid-u", Map.of("email", "ex-paid@explain.example")).statusCode(200);
        group("ex-paid-u", "ex-paid-co", Map.of("plan", "business")).statusCode(200);
        asAdmin()
                .queryParam("rule", "welcome-new-workspace")
                .get("/api/accounts/ex-paid-co/explain")
                .then()
                .statusCode(200)
                .body("users[0].verdict", equalTo("skip"))
                .body("users[0].checks.find { it.name == 'condition' }.passed", equalTo(false))
                .body("users[0].wouldSend", equalTo(false));
    }

    /** A user with an address in a trial account that has no other traits. */
    private static void trialUser(String userId, String accountId, String email) {
        identify(userId, Map.of("email", email)).statusCode(200);
        group(userId, accountId, Map.of("plan", "trial")).statusCode(200);
    }

    @Test
    void simulateAnswersForAHypotheticalEvent() {
        group("sim-u", "sim-co", Map.of("plan", "free")).statusCode(200);
        asAdmin()
                .contentType("application/json")
                .body(Map.of("accountId", "sim-co", "event", "Usage Limit Reached"))
                .post("/api/rules/upgrade-at-usage-limit/simulate")
                .then()
                .statusCode(200)
                .body("users[0].userId", equalTo("sim-u"))
                .body("users[0].verdict", equalTo("fire"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("accountId", "nobody"))
                .post("/api/rules/upgrade-at-usage-limit/simulate")
                .then()
                .statusCode(404);
    }

    @Test
    void validateReportsProblemsWithLinesWithoutLoading() {
        asAdmin()
                .contentType("application/yaml")
                .queryParam("file", "draft.yaml")
                .body(
                        "trigger:\n  event: X\ncondition: count('X') >\nactions:\n  - channel: email\n    template: welcome\n"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/rules/validate")
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].file", equalTo("draft.yaml"))
                .body("problems[0].line", equalTo(3));
        asAdmin().get("/api/rules").then().body("rules.id", org.hamcrest.Matchers.not(hasItem("draft")));
    }

    @Test
    void validateNamesAConditionThatReachesForAJavaClassAndAMisshapenKeyInPlainWords() {
        asAdmin()
                .contentType("application/yaml")
                .queryParam("file", "draft.yaml")
                .body(
                        "trigger:\n  event: X\ncondition: \"('' + account.class) =^ 'class '\"\nactions:\n  - channel: email\n    template: welcome\n"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/rules/validate")
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].file", equalTo("draft.yaml"))
                .body("problems[0].line", equalTo(3))
                .body("problems[0].message", containsString("'account.class'"));
        asAdmin()
                .contentType("application/yaml")
                .queryParam("file", "draft.yaml")
                .body("trigger:\n  event: X\nactions:\n  - channel: email\n    template: welcome\nlimits: [once_per]\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/rules/validate")
                .then()
                .statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].line", equalTo(6))
                .body(
                        "problems[0].message",
                        equalTo("limits: expected keys once_per, every, quiet_hours; found a list"));
    }

    @Test
    void theRuleListShowsVersionsStatesAndMessageCounts() {
        asAdmin()
                .get("/api/rules")
                .then()
                .statusCode(200)
                .body("rules.find { it.id == 'weekly-onboarding-checkin' }.trigger", containsString("Asia/Tokyo"))
                .body("rules.find { it.id == 'first-project-reminder' }.holdout", equalTo(20))
                .body("rules.find { it.id == 'welcome-new-workspace' }.state", equalTo("valid"));
    }
}
