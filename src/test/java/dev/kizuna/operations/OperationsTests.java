package dev.kizuna.operations;

import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import dev.kizuna.TestSmtp;
import dev.kizuna.delivery.email.MailServerReachability;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Kizuna tells an operator: readiness that names the database, the processing and sending
 * backlogs, the content files and the mail server (degraded, not down, for all but the
 * database), and the counters a dashboard is built from.
 */
@QuarkusTest
class OperationsTests {

    @Inject
    MailServerReachability mailServer;

    @Test
    void readinessNamesTheDatabaseTheBacklogsTheContentFilesAndTheMailServer() {
        JsonPath ready = given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .extract()
                .jsonPath();
        assertTrue(
                ready.getList("checks.name")
                        .containsAll(java.util.List.of(
                                "Database connections health check",
                                "call processing",
                                "outbox",
                                "rules and templates",
                                "mail server")),
                ready.prettify());
        assertEquals("ok", check(ready, "rules and templates").get("state"), "the samples load without problems");
        assertEquals(0, check(ready, "rules and templates").get("templateFileProblems"));
        assertTrue(check(ready, "outbox").containsKey("oldestDueSeconds"));
        assertTrue(check(ready, "call processing").containsKey("lagSeconds"));
    }

    @Test
    void anUnreachableMailServerMakesTheInstanceDegradedNotUnready() throws Exception {
        mailServer.check(); // nothing listens on the test SMTP port now
        JsonPath ready = given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .extract()
                .jsonPath();
        Map<String, Object> mail = check(ready, "mail server");
        assertEquals("degraded", mail.get("state"));
        assertEquals(false, mail.get("reachable"));
        assertTrue(
                String.valueOf(mail.get("failure")).startsWith("SMTP server unreachable"),
                String.valueOf(mail.get("failure")));

        GreenMail smtp = new GreenMail(TestSmtp.SETUP);
        smtp.start();
        try {
            mailServer.check();
        } finally {
            smtp.stop();
        }
        mail = check(
                given().get("/q/health/ready").then().statusCode(200).extract().jsonPath(), "mail server");
        assertEquals("ok", mail.get("state"));
        assertEquals(true, mail.get("reachable"));
        assertEquals(0, smtp.getReceivedMessages().length, "a check sends nothing");
    }

    @Test
    void callsAreCountedAcceptedDuplicateOrRejected() {
        double accepted = counter("kizuna_ingest_calls_total{outcome=\"accepted\"}");
        double duplicate = counter("kizuna_ingest_calls_total{outcome=\"duplicate\"}");
        double rejected = counter("kizuna_ingest_calls_total{outcome=\"rejected\"}");

        Map<String, Object> call =
                Map.of("userId", "ops-counted", "event", "Report Viewed", "messageId", "ops-counted-1");
        asProduct().body(call).post("/v1/track").then().statusCode(200);
        asProduct().body(call).post("/v1/track").then().statusCode(200);
        asProduct()
                .body(Map.of("userId", "ops-counted"))
                .post("/v1/track")
                .then()
                .statusCode(400);

        assertEquals(accepted + 1, counter("kizuna_ingest_calls_total{outcome=\"accepted\"}"));
        assertEquals(duplicate + 1, counter("kizuna_ingest_calls_total{outcome=\"duplicate\"}"));
        assertEquals(rejected + 1, counter("kizuna_ingest_calls_total{outcome=\"rejected\"}"));
    }

    @Test
    void decisionsAreCountedByRuleChannelAndStatus() {
        String welcome = "kizuna_decisions_total{channel=\"email\",rule=\"welcome-new-workspace\",status=\"queued\"}";
        double before = counter(welcome);
        asProduct()
                .body(Map.of("userId", "ops-ada", "traits", Map.of("email", "ops-ada@operations.example")))
                .post("/v1/identify")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of("userId", "ops-ada", "groupId", "ops-co", "traits", Map.of("plan", "trial")))
                .post("/v1/group")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of("userId", "ops-ada", "event", "Signed Up", "context", Map.of("groupId", "ops-co")))
                .post("/v1/track")
                .then()
                .statusCode(200);
        assertEquals(before + 1, counter(welcome));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(JsonPath health, String name) {
        return (Map<String, Object>)
                health.getMap("checks.find { it.name == '" + name + "' }").get("data");
    }

    /** A counter's value in /q/metrics, as Prometheus scrapes it; 0 before it is first counted. */
    private static double counter(String series) {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.E+-]+)$")
                .matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }
}
