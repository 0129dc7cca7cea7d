package dev.kizuna.tracking;

import static dev.kizuna.TestKeys.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.kizuna.SegmentCalls;
import dev.kizuna.TestClock;
import dev.kizuna.TestSmtp;
import dev.kizuna.delivery.EmailSender;
import dev.kizuna.scheduling.ConsentRetentionJob;
import dev.kizuna.ui.UiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Opt-in: a template whose category needs consent (opt_in: true) emails only users whose consent
 * to it stands, recorded with its evidence from a "Consent Given" event or the API. Withdrawal
 * works like unsubscribing, and unsubscribing withdraws. Evidence of a consent that no longer
 * stands is kept for kizuna.compliance.consent-retention (one month) after the last email of its
 * category, also after erasure, as a hash of the address. Over a copy of the samples with a
 * newsletter of the opt-in category "news", and a digest of the same category that forgot to ask.
 */
@QuarkusTest
@TestProfile(EngagementAndConsentProfile.class)
class ConsentTests {

    private static final Instant NOON = Instant.parse("2026-09-01T12:00:00Z");
    private static final String WORDING = "Send me Tasklane news, about once a month. You can stop it at any time.";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(TestSmtp.SETUP).withPerMethodLifecycle(false);

    @Inject
    TestClock clock;

    @Inject
    EmailSender emails;

    @Inject
    ConsentRetentionJob retention;

    @Inject
    Consents consents;

    @Test
    void anOptInEmailToAUserWithoutConsentIsSuppressedForNoConsent() {
        clock.set(NOON);
        identify("cs-none");
        SegmentCalls.group("cs-none", "cs-none-co", Map.of()).statusCode(200);

        JsonPath newsletter = newsletterDue("cs-none");

        assertEquals("suppressed", newsletter.getString("status"));
        assertEquals(
                "no consent: 'news' emails need the user's opt-in, and none is on record",
                newsletter.getString("error"));
        asAdmin().get("/api/users/cs-none/consents").then().statusCode(200).body("categories.size()", equalTo(0));
        asAdmin()
                .queryParam("rule", "newsletter")
                .get("/api/accounts/cs-none-co/explain")
                .then()
                .statusCode(200)
                .body("users[0].checks.find { it.name == 'consent' }.passed", equalTo(false))
                .body(
                        "users[0].checks.find { it.name == 'consent' }.detail",
                        containsString("no consent: 'news' emails need the user's opt-in"))
                .body("users[0].wouldSend", equalTo(false));
    }

    @Test
    void aConsentGivenEventIsEvidenceAndLetsTheEmailGo() throws Exception {
        clock.set(NOON);
        identify("cs-event");
        Instant given = NOON.minus(Duration.ofMinutes(3));
        SegmentCalls.send(
                        "track",
                        Map.of(
                                "userId",
                                "cs-event",
                                "event",
                                "Consent Given",
                                "messageId",
                                "cs-event-consent",
                                "timestamp",
                                given.toString(),
                                "properties",
                                Map.of(
                                        "category",
                                        "news",
                                        "wording",
                                        WORDING,
                                        "form_id",
                                        "signup-v3",
                                        "source",
                                        "signup form")))
                .statusCode(200);

        JsonPath evidence = asAdmin()
                .get("/api/users/cs-event/consents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(true, evidence.getBoolean("categories.news.given"));
        assertEquals(given, Instant.parse(evidence.getString("categories.news.recordedAt")), "when: the event's time");
        assertEquals("signup form", evidence.getString("categories.news.source"));
        assertEquals(WORDING, evidence.getString("categories.news.wording"));
        assertEquals("signup-v3", evidence.getString("categories.news.formId"));
        assertEquals("cs-event-consent", evidence.getString("categories.news.eventId"), "the call that said so");

        assertTrue(List.of("queued", "sent").contains(newsletterDue("cs-event").getString("status")));
        emails.drain();
        MimeMessage received = TestSmtp.receivedBy(SMTP.getReceivedMessages(), "cs-event@consent.example");
        assertEquals("Tasklane news", received.getSubject());
    }

    @Test
    void withdrawalWorksLikeUnsubscribingAndAFreshConsentSubscribesAgain() {
        clock.set(Instant.parse("2026-09-01T23:00:00Z")); // in quiet hours: the email waits until 08:00
        identify("cs-withdraw");
        giveByApi("cs-withdraw");
        assertEquals("queued", newsletterDue("cs-withdraw").getString("status"));

        asAdmin()
                .contentType("application/json")
                .body(Map.of("given", false, "source", "support call"))
                .put("/api/users/cs-withdraw/consents/news")
                .then()
                .statusCode(200)
                .body("categories.news.given", equalTo(false))
                .body("categories.news.source", equalTo("support call"))
                .body("evidence.size()", equalTo(2));
        asAdmin().get("/api/users/cs-withdraw/preferences").then().body("categories.news", equalTo(false));

        clock.set(Instant.parse("2026-09-02T08:30:00Z"));
        emails.drain();
        JsonPath waited = messages("cs-withdraw");
        assertEquals("suppressed", waited.getString("items[0].status"), "the email waiting to go is stopped");
        assertEquals("the user unsubscribed from 'news' emails", waited.getString("items[0].error"));
        assertEquals("suppressed", newsletterDue("cs-withdraw").getString("status"));

        clock.set(Instant.parse("2026-09-02T12:00:00Z"));
        giveByApi("cs-withdraw");
        asAdmin().get("/api/users/cs-withdraw/preferences").then().body("categories.news", equalTo(true));
        assertTrue(
                List.of("queued", "sent").contains(newsletterDue("cs-withdraw").getString("status")));
    }

    @Test
    void theUnsubscribeLinkWithdrawsTheConsent() throws Exception {
        clock.set(NOON);
        identify("cs-link");
        giveByApi("cs-link");
        newsletterDue("cs-link");
        emails.drain();
        MimeMessage email = TestSmtp.receivedBy(SMTP.getReceivedMessages(), "cs-link@consent.example");
        String unsubscribe = email.getHeader("List-Unsubscribe")[0].replaceAll("^<|>$", "");

        given().contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .post(unsubscribe)
                .then()
                .statusCode(200);

        JsonPath evidence = asAdmin()
                .get("/api/users/cs-link/consents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(false, evidence.getBoolean("categories.news.given"));
        assertTrue(
                evidence.getString("categories.news.source").startsWith("unsubscribe link of message "),
                evidence.getString("categories.news.source"));
        assertEquals(WORDING, evidence.getString("evidence[0].wording"), "the consent it withdrew stays on record");
    }

    @Test
    void unsubscribingFromTheCategoryInPreferencesWithdrawsTooButSubscribingGivesNoConsent() {
        clock.set(NOON);
        identify("cs-prefs");
        giveByApi("cs-prefs");
        asAdmin()
                .contentType("application/json")
                .body(Map.of("subscribed", false))
                .put("/api/users/cs-prefs/preferences/news")
                .then()
                .statusCode(200);
        asAdmin()
                .get("/api/users/cs-prefs/consents")
                .then()
                .body("categories.news.given", equalTo(false))
                .body("categories.news.source", equalTo("preferences"));

        asAdmin()
                .contentType("application/json")
                .body(Map.of("subscribed", true))
                .put("/api/users/cs-prefs/preferences/news")
                .then()
                .statusCode(200);
        JsonPath newsletter = newsletterDue("cs-prefs");
        assertEquals("suppressed", newsletter.getString("status"));
        assertTrue(newsletter.getString("error").startsWith("no consent"), newsletter.getString("error"));
    }

    @Test
    void evidenceOfAWithdrawnConsentIsKeptAMonthAfterTheLastEmailThenGoes() {
        clock.set(Instant.parse("2026-10-01T12:00:00Z"));
        identify("cs-kept");
        identify("cs-standing");
        giveByApi("cs-kept");
        giveByApi("cs-standing");
        newsletterDue("cs-kept");
        emails.drain(); // sent on October 1st
        clock.set(Instant.parse("2026-10-03T12:00:00Z"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("given", false))
                .put("/api/users/cs-kept/consents/news")
                .then()
                .statusCode(200);

        clock.set(Instant.parse("2026-10-31T12:00:00Z"));
        retention.purge();
        asAdmin().get("/api/users/cs-kept/consents").then().body("evidence.size()", equalTo(2));

        clock.set(Instant.parse("2026-11-03T12:00:00Z"));
        retention.purge();
        asAdmin()
                .get("/api/users/cs-kept/consents")
                .then()
                .body("evidence.size()", equalTo(2)); // a month after the withdrawal

        clock.set(Instant.parse("2026-11-04T12:00:00Z"));
        retention.purge();
        asAdmin().get("/api/users/cs-kept/consents").then().body("evidence.size()", equalTo(0));
        asAdmin().get("/api/users/cs-standing/consents").then().body("categories.news.given", equalTo(true));
    }

    @Test
    void afterErasureTheEvidenceIsKeptAsAHashOfTheAddressWithTheDatesUntilTheRetentionEnds() {
        Instant sent = Instant.parse("2026-10-10T12:00:00Z");
        clock.set(sent);
        identify("cs-erased");
        giveByApi("cs-erased");
        newsletterDue("cs-erased");
        emails.drain();
        clock.set(Instant.parse("2026-10-12T12:00:00Z"));

        asAdmin().delete("/api/users/cs-erased").then().statusCode(200).body("consentRecordsKept", equalTo(1));

        asAdmin().get("/api/users/cs-erased/consents").then().statusCode(200).body("evidence.size()", equalTo(0));
        JsonPath kept = asAdmin()
                .queryParam("address", "CS-Erased@consent.example")
                .get("/api/consents/erased")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("news", kept.getString("evidence[0].category"));
        assertEquals(true, kept.getBoolean("evidence[0].given"));
        assertEquals(WORDING, kept.getString("evidence[0].wording"));
        assertEquals(sent, Instant.parse(kept.getString("evidence[0].lastEmailAt")));
        assertEquals(Instant.parse("2026-10-12T12:00:00Z"), Instant.parse(kept.getString("evidence[0].erasedAt")));
        assertNull(kept.get("evidence[0].userId"), "no user: only the hash of the address ties it");
        String stored = consents.erasedEvidence("cs-erased@consent.example").toString();
        assertTrue(!stored.contains("cs-erased@"), stored);

        clock.set(Instant.parse("2026-11-09T12:00:00Z"));
        retention.purge();
        asAdmin()
                .queryParam("address", "cs-erased@consent.example")
                .get("/api/consents/erased")
                .then()
                .body("evidence.size()", equalTo(1));
        clock.set(Instant.parse("2026-11-11T12:00:00Z"));
        retention.purge();
        asAdmin()
                .queryParam("address", "cs-erased@consent.example")
                .get("/api/consents/erased")
                .then()
                .body("evidence.size()", equalTo(0));
    }

    @Test
    void aConsentWithoutItsEvidenceOrCategoryIsRefusedNamingTheField() {
        clock.set(NOON);
        identify("cs-bad");
        asAdmin()
                .contentType("application/json")
                .body(Map.of("wording", WORDING))
                .put("/api/users/cs-bad/consents/news")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("given"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("given", true))
                .put("/api/users/cs-bad/consents/news")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("wording"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("given", true, "wording", WORDING))
                .put("/api/users/cs-bad/consents/News!")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("category"));
        asAdmin()
                .contentType("application/json")
                .body(Map.of("given", true, "wording", WORDING, "at", "2027-12-01T00:00:00Z"))
                .put("/api/users/cs-bad/consents/news")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("at"));

        SegmentCalls.send(
                        "track",
                        Map.of("userId", "cs-bad", "event", "Consent Given", "properties", Map.of("wording", WORDING)))
                .statusCode(400)
                .body("errors[0].field", equalTo("properties.category"));
        SegmentCalls.send(
                        "track",
                        Map.of("userId", "cs-bad", "event", "Consent Given", "properties", Map.of("category", "news")))
                .statusCode(400)
                .body("errors[0].field", equalTo("properties.wording"));
        SegmentCalls.send(
                        "track",
                        Map.of(
                                "anonymousId",
                                "cs-anonymous",
                                "event",
                                "Consent Withdrawn",
                                "properties",
                                Map.of("category", "news")))
                .statusCode(400)
                .body("errors[0].field", equalTo("userId"));
        asAdmin().get("/api/users/cs-bad/consents").then().body("evidence.size()", equalTo(0));
    }

    @Test
    void theMessagePageShowsTheComplianceCheckAndTheConsentOnRecord() {
        clock.set(NOON);
        identify("cs-page");
        giveByApi("cs-page");
        long sent = newsletterDue("cs-page").getLong("id");
        identify("cs-page-none");
        long suppressed = newsletterDue("cs-page-none").getLong("id");

        String page = UiKeys.page("csm", "/ui/messages/" + sent, "en");
        assertTrue(page.contains("Every item was in the email"), "the check of 特定電子メール法 passed");
        assertTrue(page.contains("This email needs the user&#39;s opt-in to its category."), page);
        assertTrue(page.contains("Consent to &#39;news&#39; emails given"), page);
        assertTrue(page.contains("(api)") && page.contains(WORDING.substring(0, 20)), "how, and the wording shown");

        String japanese = UiKeys.page("csm", "/ui/messages/" + suppressed, "ja");
        assertTrue(japanese.contains("「news」のメールへの同意は記録されていません。"), japanese);
        assertTrue(japanese.contains("特定電子メール法と同意"));
    }

    @Test
    void aTemplateOfAnOptInCategoryThatDoesNotAskForConsentIsAProblem() {
        JsonPath list =
                asAdmin().get("/api/templates").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("news-digest/template.yaml"), list.getList("problems.file"));
        assertTrue(
                list.getString("problems[0].message")
                        .startsWith("category 'news' needs opt-in (opt_in: true in newsletter), but this "
                                + "template does not ask for it"),
                list.getString("problems[0].message"));
    }

    private void giveByApi(String userId) {
        asAdmin()
                .contentType("application/json")
                .body(Map.of("given", true, "wording", WORDING))
                .put("/api/users/" + userId + "/consents/news")
                .then()
                .statusCode(200)
                .body("categories.news.given", equalTo(true));
    }

    private static void identify(String userId) {
        SegmentCalls.identify(userId, Map.of("email", userId + "@consent.example", "name", "Sae"))
                .statusCode(200);
    }

    /** The newsletter's rule fires for the user; its newest message. */
    private JsonPath newsletterDue(String userId) {
        SegmentCalls.track(userId, "Newsletter Due", null, userId + "-due-" + clock.instant())
                .statusCode(200);
        return messages(userId).setRootPath("items[0]");
    }

    private static JsonPath messages(String userId) {
        return asAdmin()
                .queryParam("userId", userId)
                .queryParam("rule", "newsletter")
                .get("/api/messages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
