package dev.kizuna.decisions;

import io.quarkus.test.junit.QuarkusTest;
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
                .body("users[0].checks.find { it.name == 'limit' }.detail", equalTo("already sent once per user"));
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
    void theRuleListShowsVersionsStatesAndMessageCounts() {
        asAdmin().get("/api/rules").then().statusCode(200)
                .body("rules.find { it.id == 'weekly-onboarding-checkin' }.trigger", containsString("Asia/Tokyo"))
                .body("rules.find { it.id == 'first-project-reminder' }.holdout", equalTo(20))
                .body("rules.find { it.id == 'welcome-new-workspace' }.state", equalTo("valid"));
    }
}
