package dev.kizuna.delivery.inapp;

import static dev.kizuna.TestKeys.WRITE_KEY;
import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.delivery.inapp.ProductEvents.createFirstProject;
import static dev.kizuna.delivery.inapp.ProductEvents.pendingNudges;
import static dev.kizuna.delivery.inapp.ProductEvents.signUpForTrial;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** GET /v1/nudges.js: the browser script, served without a key, run against this Kizuna. */
@QuarkusTest
class NudgeScriptTests {

    private static final Path WORK = Path.of("target", "node-nudges");

    @TestHTTPResource("/")
    URI base;

    @Test
    void theScriptIsServedWithoutAKeyAsJavaScript() {
        given().get("/v1/nudges.js")
                .then()
                .statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("Kizuna.nudges = nudges"));
    }

    @Test
    void theScriptIsValidJavaScript() throws Exception {
        assumeNode();
        Path script = served();
        Result check = run(Duration.ofSeconds(30), "node", "--check", script.toString());
        assertEquals(0, check.exitCode(), check::output);
    }

    @Test
    void aPageOnAnotherOriginMayFollowTheStreamWithTheWriteKey() {
        given().header("Origin", "https://app.tasklane.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/v1/nudges/stream?userId=u1")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "https://app.tasklane.example")
                .header("Access-Control-Allow-Headers", containsString("authorization"));
    }

    @Test
    void theScriptShowsEachNudgeInItsPlacementAndReportsWhatTheUserDid() throws Exception {
        assumeNode();
        signUpForTrial("js-ada", "js-acme");
        createFirstProject("js-ada", "js-acme");
        JsonPath pending = pendingNudges("js-ada");
        long modal = pending.getLong("nudges[0].id");
        long banner = pending.getLong("nudges[1].id");
        long failedEmail = failedWelcomeEmailOf("js-ada");
        long toast = placeDirectly(
                "js-ada",
                failedEmail,
                "toast",
                "<img src=x onerror=alert(1)>",
                "<script>alert(2)</script>",
                "Run",
                "javascript:alert(3)");
        long inline = placeDirectly(
                "js-ada",
                failedEmail,
                "inline",
                "Tip",
                "Boards can be filtered.",
                "Show me",
                "https://app.tasklane.example/boards");
        Files.createDirectories(WORK);
        Path harness = Files.copy(
                Path.of("src", "test", "node", "nudges-script.mjs"),
                WORK.resolve("nudges-script.mjs"),
                StandardCopyOption.REPLACE_EXISTING);

        Result result = run(
                Duration.ofSeconds(60),
                "node",
                harness.toString(),
                base.toString().replaceAll("/$", ""),
                WRITE_KEY,
                "js-ada");

        assertEquals(0, result.exitCode(), result::output);
        JsonPath page = JsonPath.from(result.output());
        assertEquals(
                List.of((int) modal, (int) banner, (int) toast, (int) inline),
                page.getList("announced"),
                "onNudge, once each, in order");

        assertEquals("dialog", page.getString("shown.modal.attributes.role"));
        assertEquals("true", page.getString("shown.modal.attributes.aria-modal"));
        assertEquals("kizuna-backdrop", page.getString("shown.modal.parent"));
        assertEquals("Start with your first project", page.getString("shown.modal.title"));
        assertEquals("https://app.tasklane.example/projects/new", page.getString("shown.modal.ctaHref"));
        assertEquals("kizuna-cta", page.getString("focusedInModal"), "the modal takes the keyboard focus");

        assertEquals("region", page.getString("shown.banner.attributes.role"));
        assertEquals("BODY", page.getString("shown.banner.parent"));
        assertEquals("Projects go faster together", page.getString("shown.banner.title"));
        assertEquals("Invite teammates", page.getString("shown.banner.ctaLabel"));

        assertEquals("status", page.getString("shown.toast.attributes.role"));
        assertEquals(
                "<img src=x onerror=alert(1)>", page.getString("shown.toast.title"), "nudge text is inserted as text");
        assertEquals("<script>alert(2)</script>", page.getString("shown.toast.body"));
        assertNull(page.get("shown.toast.ctaHref"), "a javascript: link is not offered");
        assertEquals("Close", page.getString("shown.toast.closeLabel"));

        assertEquals("product-slot", page.getString("shown.inline.parent"), "inline goes into the container given");
        assertEquals("region", page.getString("shown.inline.attributes.role"));

        assertEquals(1, page.getInt("remaining"), "each nudge is gone once the user acted on it; the inline one stays");
        assertEquals(
                List.of(
                                modal + "/dismissed 200",
                                modal + "/seen 200",
                                banner + "/clicked 200",
                                banner + "/seen 200",
                                toast + "/dismissed 200",
                                toast + "/seen 200",
                                inline + "/seen 200")
                        .stream()
                        .sorted()
                        .toList(),
                page.getList("reports"));
        assertEquals(List.of((int) inline), pendingNudges("js-ada").getList("nudges.id"));
        assertEquals(
                List.of("seen", "dismissed"),
                timelineTypes(pending.getLong("nudges[0].messageId")),
                "closed with Escape");
        assertEquals(List.of("seen", "clicked"), timelineTypes(pending.getLong("nudges[1].messageId")));
    }

    private static long failedWelcomeEmailOf(String userId) {
        return asAdmin()
                .queryParam("userId", userId)
                .queryParam("channel", "email")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .body("items[0].status", equalTo("failed"))
                .extract()
                .jsonPath()
                .getLong("items[0].id");
    }

    /** A nudge written straight to the database, as another instance would, with any text and link. */
    private static long placeDirectly(
            String userId,
            long messageId,
            String placement,
            String title,
            String body,
            String ctaLabel,
            String ctaUrl) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Nudge nudge = new Nudge();
            nudge.messageId = messageId;
            nudge.userId = userId;
            nudge.title = title;
            nudge.body = body;
            nudge.ctaLabel = ctaLabel;
            nudge.ctaUrl = ctaUrl;
            nudge.placement = placement;
            nudge.status = Nudge.PENDING;
            nudge.createdAt = Instant.now();
            nudge.persist();
            return nudge.id;
        });
    }

    private static List<String> timelineTypes(long messageId) {
        return asAdmin()
                .get("/api/messages/" + messageId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("timeline.type");
    }

    private static Path served() throws IOException {
        Files.createDirectories(WORK);
        String script =
                given().get("/v1/nudges.js").then().statusCode(200).extract().asString();
        return Files.writeString(WORK.resolve("nudges.js"), script, StandardCharsets.UTF_8);
    }

    private static void assumeNode() {
        boolean present;
        try {
            present = run(Duration.ofSeconds(20), "node", "--version").exitCode() == 0;
        } catch (IOException | InterruptedException absent) {
            present = false;
        }
        Assumptions.assumeTrue(present, "Node.js is not installed: the browser script cannot be checked or run");
    }

    private record Result(int exitCode, String output) {}

    private static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("kizuna-node", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeout + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
