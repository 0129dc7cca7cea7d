package dev.kizuna.templates;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.FaultyContentProfile;
import dev.kizuna.SegmentCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Templates that would take the server down or hide their reason, over a copy of the samples:
 * one writes without end, one loops without writing, one includes /etc/passwd, and one has an
 * unquoted colon in its template.yaml. Each fails on its own, with file and line; the rest runs.
 */
@QuarkusTest
@TestProfile(FaultyContentProfile.class)
class RunawayTemplateTests {

    private static final Duration QUICKLY = Duration.ofSeconds(15);

    @Test
    void aPreviewOfATemplateThatWritesWithoutEndAnswers422WithFileAndLine() {
        identify("rw-ada");
        assertTimeoutPreemptively(
                QUICKLY,
                () -> preview("output-bomb", "rw-ada")
                        .then()
                        .statusCode(422)
                        .body("errors[0].file", equalTo("output-bomb/html.ftlh"))
                        .body("errors[0].line", equalTo(2))
                        .body("errors[0].message", containsString("kizuna.templates.max-output"))
                        .body("detail", containsString("output-bomb/html.ftlh line 2")));
        preview("welcome", "rw-ada").then().statusCode(200);
    }

    @Test
    void aPreviewOfATemplateThatLoopsWithoutWritingAnswers422WithFileAndLine() {
        identify("rw-grace");
        assertTimeoutPreemptively(
                QUICKLY,
                () -> preview("time-bomb", "rw-grace")
                        .then()
                        .statusCode(422)
                        .body("errors[0].file", equalTo("time-bomb/nudge-body.ftl"))
                        .body("errors[0].line", equalTo(2))
                        .body("errors[0].message", containsString("kizuna.templates.render-timeout")));
        preview("help-offer", "rw-grace").then().statusCode(200);
    }

    @Test
    void aPreviewOfAnIncludeOutsideTheTemplatesFolderSaysWhy() {
        identify("rw-linus");
        preview("reads-passwd", "rw-linus")
                .then()
                .statusCode(422)
                .body("errors[0].file", equalTo("reads-passwd/html.ftlh"))
                .body("errors[0].line", equalTo(2))
                .body("errors[0].message", containsString("is not a file in the templates folder"))
                .body("detail", containsString("/etc/passwd"));
    }

    @Test
    void anEventWhoseRulesRenderRunawayTemplatesFailsThoseMessagesAndTheOtherRuleStillSends() {
        identify("rw-margaret");
        assertTimeoutPreemptively(
                QUICKLY,
                () -> SegmentCalls.track("rw-margaret", "Runaway Tried", "rw-apollo", null)
                        .statusCode(200)
                        .body("success", equalTo(true)));

        JsonPath messages = asAdmin()
                .queryParam("userId", "rw-margaret")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("failed", messages.getString("items.find { it.rule == 'runaway-email' }.status"));
        String emailError = messages.getString("items.find { it.rule == 'runaway-email' }.error");
        assertTrue(
                emailError.startsWith(
                        "template failed: output-bomb/html.ftlh line 2: the output passed 100000 characters"),
                emailError);
        assertEquals("failed", messages.getString("items.find { it.rule == 'runaway-nudge' }.status"));
        String nudgeError = messages.getString("items.find { it.rule == 'runaway-nudge' }.error");
        assertTrue(
                nudgeError.startsWith(
                        "template failed: time-bomb/nudge-body.ftl line 2: rendering took longer than 1000 ms"),
                nudgeError);
        assertEquals("sent", messages.getString("items.find { it.rule == 'sane-nudge' }.status"));
        asProduct()
                .queryParam("userId", "rw-margaret")
                .get("/v1/nudges")
                .then()
                .statusCode(200)
                .body("nudges.title", hasItem("Can we help you get more out of Tasklane?"));
    }

    @Test
    void aTemplateYamlThatDoesNotParseIsReportedAndTheRuleUsingItDoesNotLoad() {
        asAdmin()
                .get("/api/templates")
                .then()
                .statusCode(200)
                .body("problems.find { it.file == 'colon-in-description/template.yaml' }.line", equalTo(2))
                .body(
                        "problems.find { it.file == 'colon-in-description/template.yaml' }.message",
                        containsString("quote a value that holds a colon"));
        asAdmin()
                .get("/api/rules")
                .then()
                .statusCode(200)
                .body(
                        "problems.find { it.file == 'launch-announcement.yaml' }.message",
                        containsString(
                                "'colon-in-description' cannot be used: colon-in-description/template.yaml line 2"))
                .body("rules.id", not(hasItem("launch-announcement")))
                .body("rules.id", hasItem("runaway-email"));
    }

    private static void identify(String userId) {
        SegmentCalls.identify(userId, Map.of("email", userId + "@runaway.example", "name", "Test " + userId))
                .statusCode(200);
    }

    private static io.restassured.response.Response preview(String template, String userId) {
        return asAdmin()
                .contentType("application/json")
                .body(Map.of("userId", userId))
                .post("/api/templates/" + template + "/preview");
    }
}
