package dev.kizuna.templates;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import dev.kizuna.TestSmtp;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A marketer looks at a template as a real recipient would get it, and sends it to themselves. */
@QuarkusTest
class TemplatePreviewTests {

    static final GreenMail SMTP = new GreenMail(TestSmtp.SETUP);

    @BeforeAll
    static void startSmtp() throws InterruptedException {
        TestSmtp.start(SMTP);
    }

    @org.junit.jupiter.api.BeforeEach
    void kenjiOfPreviewCoExists() {
        asProduct()
                .body(Map.of(
                        "userId",
                        "pv-kenji",
                        "traits",
                        Map.of(
                                "email",
                                "kenji@pv.example",
                                "name",
                                "Kenji Sato",
                                "firstName",
                                "Kenji",
                                "locale",
                                "ja-JP")))
                .post("/v1/identify")
                .then()
                .statusCode(200);
        asProduct()
                .body(Map.of(
                        "userId",
                        "pv-kenji",
                        "groupId",
                        "pv-co",
                        "traits",
                        Map.of("name", "Preview Co", "plan", "trial")))
                .post("/v1/group")
                .then()
                .statusCode(200);
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @Test
    void thePreviewOfATemplateWithWebhookAndSlackBodiesShowsBothAsTheyWouldBePosted() throws Exception {
        String webhook = preview("csm-risk-alert", Map.of("userId", "pv-kenji"))
                .then()
                .statusCode(200)
                .extract()
                .path("webhook");
        com.fasterxml.jackson.databind.JsonNode body =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(webhook);
        assertEquals("account.at_risk", body.path("type").asText());
        assertEquals("Preview Co", body.path("account").path("name").asText());
        assertEquals("trial", body.path("account").path("plan").asText());
        String slack = preview("csm-risk-alert", Map.of("userId", "pv-kenji"))
                .then()
                .extract()
                .path("slack");
        String text = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(slack)
                .path("text")
                .asText();
        assertTrue(text.startsWith(":warning: *Preview Co* has entered the at-risk segment."), text);
    }

    @Test
    void aPreviewRendersForTheRecipientInTheirLocaleWithTheirData() {
        preview("welcome", Map.of("userId", "pv-kenji"))
                .then()
                .statusCode(200)
                .body("locale", equalTo("ja-JP"))
                .body("accountId", equalTo("pv-co"))
                .body("email.category", equalTo("onboarding"))
                // The sender it would go out with: the template names none, so the configured one.
                .body("email.from", equalTo("Kizuna Onboarding <onboarding@kizuna.example>"))
                .body("email.subject", containsString("Kenji"))
                .body("email.subject", containsString("Tasklane へようこそ"))
                .body("email.html", containsString("Preview Co"))
                .body("email.html", containsString("/t/u/preview"))
                .body("nudge", nullValue());
    }

    @Test
    void theLocaleAndSegmentCanBeChosenToSeeEachVariant() {
        preview("welcome", Map.of("userId", "pv-kenji", "locale", "en"))
                .then()
                .statusCode(200)
                .body("email.subject", equalTo("Welcome to Tasklane, Kenji: your first project is one click away"));
        String standard = preview("invite-teammates", Map.of("accountId", "pv-co", "locale", "en"))
                .then()
                .statusCode(200)
                .extract()
                .path("email.text");
        preview("invite-teammates", Map.of("accountId", "pv-co", "locale", "en", "segment", "low-touch"))
                .then()
                .statusCode(200)
                .body("segments", equalTo(java.util.List.of("low-touch")))
                .body("email.variant", equalTo("low-touch"))
                .body("email.text", not(equalTo(standard)))
                .body("nudge.title", not(nullValue()));
    }

    @Test
    void aPreviewNamesWhatIsWrongWithTheRequest() {
        preview("welcome", Map.of()).then().statusCode(400).body("detail", containsString("userId or an accountId"));
        preview("welcome", Map.of("userId", "nobody")).then().statusCode(404).body("detail", containsString("nobody"));
        preview("welcome", Map.of("accountId", "no-such-account")).then().statusCode(404);
        preview("welcome", Map.of("userId", "pv-kenji", "segment", "vip"))
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("segment"));
        preview("no-such-template", Map.of("userId", "pv-kenji")).then().statusCode(404);
        preview("../rules", Map.of("userId", "pv-kenji")).then().statusCode(404);
    }

    @Test
    void aTestSendGoesToTheMarketerMarkedAsATestAndIsNotAMessage() throws Exception {
        asAdmin()
                .contentType("application/json")
                .body(Map.of("to", "marketer@pv.example", "userId", "pv-kenji", "locale", "en"))
                .post("/api/templates/welcome/test-send")
                .then()
                .statusCode(200)
                .body("to", equalTo("marketer@pv.example"))
                .body("subject", equalTo("[Test] Welcome to Tasklane, Kenji: your first project is one click away"));
        MimeMessage received = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> Arrays.stream(SMTP.getReceivedMessages())
                                .filter(message -> {
                                    try {
                                        return message.getAllRecipients()[0]
                                                .toString()
                                                .equals("marketer@pv.example");
                                    } catch (Exception e) {
                                        return false;
                                    }
                                })
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
        assertEquals("[Test] Welcome to Tasklane, Kenji: your first project is one click away", received.getSubject());
        assertNull(received.getHeader("List-Unsubscribe"), "a test is not a subscription");
        asAdmin()
                .queryParam("userId", "pv-kenji")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .body("items.recipient", not(org.hamcrest.Matchers.hasItem("marketer@pv.example")));
    }

    @Test
    void aTestSendIsLoggedByItsMessageIdNeverByTheAddress() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage() + " " + Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger previewsLog = java.util.logging.Logger.getLogger(TemplatePreviews.class.getName());
        previewsLog.addHandler(capture);
        try {
            String messageId = asAdmin()
                    .contentType("application/json")
                    .body(Map.of("to", "private.marketer@pv.example", "userId", "pv-kenji", "locale", "en"))
                    .post("/api/templates/welcome/test-send")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("emailMessageId");
            assertTrue(logged.stream().anyMatch(line -> line.contains(messageId)), logged::toString);
            assertTrue(logged.stream().noneMatch(line -> line.contains("private.marketer")), logged::toString);
        } finally {
            previewsLog.removeHandler(capture);
        }
    }

    @Test
    void aTestSendNeedsAnAddress() {
        asAdmin()
                .contentType("application/json")
                .body(Map.of("userId", "pv-kenji"))
                .post("/api/templates/welcome/test-send")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("to"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("to", "not an address", "userId", "pv-kenji"))
                .post("/api/templates/welcome/test-send")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("to"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("to", "x@pv.example", "userId", "pv-kenji"))
                .post("/api/templates/create-first-project/test-send")
                .then()
                .statusCode(404)
                .body("detail", containsString("no email template"));
    }

    private static io.restassured.response.Response preview(String template, Map<String, String> body) {
        return asAdmin().contentType("application/json").body(body).post("/api/templates/" + template + "/preview");
    }
}
