package dev.kizuna;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One real path: identify + group + track → rule fires → email over SMTP and a nudge → both in the message log. */
@QuarkusTest
class OnboardingEndToEndTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Test
    void signUpOfTrialWorkspaceSendsWelcomeEmailAndNudgeAndLogsBoth() throws Exception {
        Scenario.trialUser("e2e-ada", "e2e-acme")
                .withTraits(Map.of("email", "ada@acme.example", "name", "Ada Lovelace"))
                .inAccountNamed("Acme Analytics")
                .signsUp("e2e-signup-1");

        MimeMessage email = awaitEmailTo("ada@acme.example");
        assertEquals("Welcome to Tasklane, Ada: your first project is one click away", email.getSubject());
        Multipart alternative = (Multipart) email.getContent();
        assertTrue(email.getContentType().startsWith("multipart/alternative"), email.getContentType());
        BodyPart text = alternative.getBodyPart(0);
        BodyPart html = alternative.getBodyPart(1);
        assertTrue(
                text.getContentType().contains("text/plain")
                        && text.getContentType().contains("UTF-8"),
                text.getContentType());
        assertTrue(html.getContentType().contains("text/html"), html.getContentType());
        assertTrue(((String) text.getContent()).contains("Your workspace Acme Analytics is ready."));
        assertTrue(((String) html.getContent()).contains("<strong>Acme Analytics</strong>"));
        assertTrue(((String) html.getContent()).contains("548 Market St"), "the footer partial is part of the layout");

        asProduct()
                .queryParam("userId", "e2e-ada")
                .get("/v1/nudges")
                .then()
                .statusCode(200)
                .body("nudges", hasSize(1))
                .body("nudges[0].title", equalTo("Start with your first project"))
                .body("nudges[0].cta.label", equalTo("Create a project"))
                .body("nudges[0].cta.url", equalTo("https://app.tasklane.example/projects/new"));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> asAdmin()
                        .queryParam("userId", "e2e-ada")
                        .get("/api/messages")
                        .then()
                        .statusCode(200)
                        .body("items", hasSize(2))
                        .body("items.find { it.channel == 'email' }.status", equalTo("sent"))
                        .body("items.find { it.channel == 'email' }.rule", equalTo("welcome-new-workspace"))
                        .body("items.find { it.channel == 'email' }.cause.type", equalTo("event"))
                        .body("items.find { it.channel == 'email' }.cause.ref", equalTo("e2e-signup-1"))
                        .body("items.find { it.channel == 'email' }.cause.explanation", containsString("Signed Up"))
                        .body("items.find { it.channel == 'email' }.emailMessageId", equalTo(email.getMessageID()))
                        .body("items.find { it.channel == 'inapp' }.status", equalTo("sent"))
                        .body(
                                "items.find { it.channel == 'inapp' }.subject",
                                equalTo("Start with your first project")));
    }

    @Test
    void japaneseUserGetsTheJapaneseVariantWithAnEncodedSubject() throws Exception {
        Scenario.trialUser("e2e-hanako", "e2e-sakura")
                .withTraits(Map.of("email", "hanako@example.jp", "firstName", "花子", "locale", "ja-JP"))
                .inAccountNamed("さくら商事")
                .signsUp("e2e-signup-2");

        MimeMessage email = awaitEmailTo("hanako@example.jp");
        assertEquals("Tasklane へようこそ、花子さん：最初のプロジェクトを作りましょう", email.getSubject());
        assertTrue(email.getHeader("Subject")[0].startsWith("=?UTF-8?"), "the raw subject is RFC 2047 encoded");
        String html = (String) ((Multipart) email.getContent()).getBodyPart(1).getContent();
        assertTrue(html.contains("<strong>さくら商事</strong>"));
        assertTrue(html.contains("東京都渋谷区"), "the Japanese footer partial is chosen");
    }

    @Test
    void aRuleLimitedOncePerUserDoesNotFireTwice() {
        Scenario.trialUser("e2e-grace", "e2e-navy")
                .withTraits(Map.of("email", "grace@navy.example", "name", "Grace Hopper"))
                .inAccountNamed("Navy")
                .signsUp("e2e-signup-3")
                .tracks(Scenario.SIGNED_UP, "e2e-signup-4");

        asAdmin()
                .queryParam("userId", "e2e-grace")
                .queryParam("channel", "email")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
    }

    @Test
    void theConditionOverAccountStateKeepsPaidWorkspacesOutOfTheTrialWelcome() {
        Scenario.user("e2e-linus", "e2e-paid")
                .withEmail("linus@paid.example")
                .inAccountNamed("Paid Co")
                .onPlan("business")
                .signsUp("e2e-signup-5");

        asAdmin()
                .queryParam("userId", "e2e-linus")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
    }

    private static MimeMessage awaitEmailTo(String address) {
        List<MimeMessage> matching = await("an email to " + address)
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> Arrays.stream(SMTP.getReceivedMessages())
                                .filter(message -> recipientIs(message, address))
                                .toList(),
                        emails -> !emails.isEmpty());
        assertEquals(1, matching.size(), "exactly one email to " + address);
        return matching.get(0);
    }

    private static boolean recipientIs(MimeMessage message, String address) {
        try {
            return message.getAllRecipients()[0].toString().equals(address);
        } catch (Exception e) {
            return false;
        }
    }
}
