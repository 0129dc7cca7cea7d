package dev.kizuna.decisions;

import dev.kizuna.tracking.SuppressionList;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Anyone can ask why an account did or did not get a rule's message, and check a rule file before saving it. */
@QuarkusTest
class ExplainApiTests {

    @Inject
    SuppressionList suppressions;

    @Test
    void explainShowsEachCheckAndWhyTheRuleWouldNotFireAgain() {
        asProduct().body(Map.of("userId", "ex-u", "traits", Map.of("email", "ex@explain.example"))).post("/v1/identify");
        asProduct().body(Map.of("userId", "ex-u", "groupId", "ex-co", "traits", Map.of("plan", "trial"))).post("/v1/group");
        asAdmin().queryParam("rule", "welcome-new-workspace").get("/api/accounts/ex-co/explain").then().statusCode(200)
                .body("users[0].verdict", equalTo("fire"))
                .body("users[0].wouldSend", equalTo(true))
                .body("users[0].checks.name", hasItem("condition"))
                .body("users[0].checks.find { it.name == 'condition' }.detail", containsString("is true"));

        asProduct().body(Map.of("userId", "ex-u", "event", "Signed Up", "context", Map.of("groupId", "ex-co"))).post("/v1/track");
        asAdmin().queryParam("rule", "welcome-new-workspace").get("/api/accounts/ex-co/explain").then().statusCode(200)
                .body("users[0].verdict", equalTo("skip"))
                .body("users[0].wouldSend", equalTo(false))
                .body("users[0].checks.find { it.name == 'limit' }.detail", equalTo("already sent once per user"));
    }

    @Test
    void aSuppressedAddressWouldNotBeSentTo() {
        trialUser("ex-supp-u", "ex-supp-co", "ex-supp@explain.example");
        QuarkusTransaction.requiringNew().run(() -> suppressions.suppress("ex-supp@explain.example", SuppressionList.HARD_BOUNCE));
        asAdmin().queryParam("rule", "welcome-new-workspace").get("/api/accounts/ex-supp-co/explain").then().statusCode(200)
                .body("users[0].verdict", equalTo("fire"))
                .body("users[0].checks.find { it.name == 'suppression' }.passed", equalTo(false))
                .body("users[0].wouldSend", equalTo(false));
    }

    @Test
    void anUnsubscribedCategoryWouldNotBeSent() {
        trialUser("ex-unsub-u", "ex-unsub-co", "ex-unsub@explain.example");
        asAdmin().contentType("application/json").body(Map.of("subscribed", false))
                .put("/api/users/ex-unsub-u/preferences/onboarding").then().statusCode(200);
        asAdmin().queryParam("rule", "welcome-new-workspace").get("/api/accounts/ex-unsub-co/explain").then().statusCode(200)
                .body("users[0].verdict", equalTo("fire"))
                .body("users[0].checks.find { it.name == 'subscription' }.passed", equalTo(false))
                .body("users[0].wouldSend", equalTo(false));
    }

    @Test
    void aUserWithoutAnAddressWouldNotBeSentTo() {
        asProduct().body(Map.of("userId", "ex-noaddr-u", "groupId", "ex-noaddr-co", "traits", Map.of("plan", "trial"))).post("/v1/group")
                .then().statusCode(200);
        asAdmin().queryParam("rule", "welcome-new-workspace").get("/api/accounts/ex-noaddr-co/explain").then().statusCode(200)
                .body("users[0].verdict", equalTo("fire"))
                .body("users[0].checks.find { it.name == 'address' }.passed", equalTo(false))
                .body("users[0].wouldSend", equalTo(false));
    }

    @Test
    void aConditionThatDoesNotHoldWouldNotSend() {
        asProduct().body(Map.of("userId", "ex-paid-u", "traits", Map.of("email", "ex-paid@explain.example"))).post("/v1/identify")
                .then().statusCode(200);
        asProduct().body(Map.of("userId", "ex-paid-u", "groupId", "ex-paid-co", "traits", Map.of("plan", "business"))).post("/v1/group")
                .then().statusCode(200);
        asAdmin().queryParam("rule", "welcome-new-workspace").get("/api/accounts/ex-paid-co/explain").then().statusCode(200)
                .body("users[0].verdict", equalTo("skip"))
                .body("users[0].checks.find { it.name == 'condition' }.passed", equalTo(false))
                .body("users[0].wouldSend", equalTo(false));
    }

    private static void trialUser(String userId, String accountId, String email) {
        asProduct().body(Map.of("userId", userId, "traits", Map.of("email", email))).post("/v1/identify").then().statusCode(200);
        asProduct().body(Map.of("userId", userId, "groupId", accountId, "traits", Map.of("plan", "trial"))).post("/v1/group")
                .then().statusCode(200);
    }

    @Test
    void simulateAnswersForAHypotheticalEvent() {
        asProduct().body(Map.of("userId", "sim-u", "groupId", "sim-co", "traits", Map.of("plan", "free"))).post("/v1/group");
        asAdmin().contentType("application/json")
                .body(Map.of("accountId", "sim-co", "event", "Usage Limit Reached"))
                .post("/api/rules/upgrade-at-usage-limit/simulate").then().statusCode(200)
                .body("users[0].userId", equalTo("sim-u"))
                .body("users[0].verdict", equalTo("fire"));
        asAdmin().contentType("application/json").body(Map.of("accountId", "nobody")).post("/api/rules/upgrade-at-usage-limit/simulate")
                .then().statusCode(404);
    }

    @Test
    void validateReportsProblemsWithLinesWithoutLoading() {
        asAdmin().contentType("application/yaml").queryParam("file", "draft.yaml")
                .body("trigger:\n  event: X\ncondition: count('X') >\nactions:\n  - channel: email\n    template: welcome\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/rules/validate").then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].file", equalTo("draft.yaml"))
                .body("problems[0].line", equalTo(3));
        asAdmin().get("/api/rules").then().body("rules.id", org.hamcrest.Matchers.not(hasItem("draft")));
    }

    @Test
    void validateNamesAConditionThatReachesForAJavaClassAndAMisshapenKeyInPlainWords() {
        asAdmin().contentType("application/yaml").queryParam("file", "draft.yaml")
                .body("trigger:\n  event: X\ncondition: \"('' + account.class) =^ 'class '\"\nactions:\n  - channel: email\n    template: welcome\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/rules/validate").then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].file", equalTo("draft.yaml"))
                .body("problems[0].line", equalTo(3))
                .body("problems[0].message", containsString("'account.class'"));
        asAdmin().contentType("application/yaml").queryParam("file", "draft.yaml")
                .body("trigger:\n  event: X\nactions:\n  - channel: email\n    template: welcome\nlimits: [once_per]\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/rules/validate").then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].line", equalTo(6))
                .body("problems[0].message", equalTo("limits: expected keys once_per, every, quiet_hours; found a list"));
    }

    @Test
    void theRuleListShowsVersionsStatesAndMessageCounts() {
        asAdmin().get("/api/rules").then().statusCode(200)
                .body("rules.find { it.id == 'weekly-onboarding-checkin' }.trigger", containsString("Asia/Tokyo"))
                .body("rules.find { it.id == 'first-project-reminder' }.holdout", equalTo(20))
                .body("rules.find { it.id == 'welcome-new-workspace' }.state", equalTo("valid"));
    }
}
